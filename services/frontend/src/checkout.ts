// Checkout form input: trimmed and checked against order-api's own schemas
// (schemas/api/order.schema.json, generated into src/generated), so a form this page accepts is
// an order order-api accepts. The schema decides what is valid; this file only says, for people,
// what to do about a field it refused.
import { compileSchema, hasControlCharacter, type FieldProblem } from '@techcommerce/runtime';
import type { NewOrder } from './api/orders';
import order from './generated/order.schema.json';
import {
  CHECKOUT_FIELDS,
  COUNTRIES,
  type CheckoutErrors,
  type CheckoutField,
  type CheckoutValues,
} from './views/checkout';

// Longer than any field the schema allows: enough to say "too long" rather than cut it silently.
const READ_LIMIT = 1000;

const checkContact = compileSchema(order.$defs.Contact);
const checkAddress = compileSchema(order.$defs.Address);
const checkCustomer = compileSchema(order.$defs.CustomerId);

const MESSAGES: Record<CheckoutField, { missing: string; invalid: string }> = {
  name: { missing: 'Enter your full name', invalid: 'Enter your full name (at most 200 characters)' },
  email: {
    missing: 'Enter your email address',
    invalid: 'Enter an email address like name@example.com',
  },
  line1: {
    missing: 'Enter your street and house number',
    invalid: 'Enter your street and house number (at most 200 characters)',
  },
  postalCode: {
    missing: 'Enter your postal code',
    invalid: 'Postal code may only contain letters, digits, spaces and dashes (2 to 12 characters)',
  },
  city: { missing: 'Enter your city', invalid: 'Enter your city (at most 100 characters)' },
  country: { missing: 'Choose your country', invalid: 'Choose a country from the list' },
};

// Where each field of the order is on the form (order-api's field names, as in its 400 problems).
const FORM_FIELD: Record<string, CheckoutField> = {
  'body.customerId': 'email',
  'body.contact.name': 'name',
  'body.contact.email': 'email',
  'body.shippingAddress.line1': 'line1',
  'body.shippingAddress.postalCode': 'postalCode',
  'body.shippingAddress.city': 'city',
  'body.shippingAddress.country': 'country',
};

export function readCheckoutForm(body: unknown): CheckoutValues {
  const src = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = {} as CheckoutValues;
  for (const f of CHECKOUT_FIELDS) {
    const v = src[f.name];
    values[f.name] = typeof v === 'string' ? v.trim().slice(0, READ_LIMIT) : '';
  }
  return values;
}

/** The order the form describes (the shop has no accounts: the customer is the email, lower case). */
export function orderFromForm(v: CheckoutValues, items: NewOrder['items']): NewOrder {
  return {
    customerId: v.email.toLowerCase(),
    contact: { name: v.name, email: v.email },
    shippingAddress: { line1: v.line1, postalCode: v.postalCode, city: v.city, country: v.country },
    items,
  };
}

/** Form errors for order-api's field problems (its own 400, or the same schema checked here). */
export function formErrors(problems: FieldProblem[], v: CheckoutValues): CheckoutErrors {
  const errors: CheckoutErrors = {};
  for (const p of problems) {
    const field = FORM_FIELD[p.field];
    if (!field || errors[field]) continue;
    errors[field] = v[field] ? MESSAGES[field].invalid : MESSAGES[field].missing;
  }
  return errors;
}

export function validateCheckout(v: CheckoutValues): CheckoutErrors {
  const o = orderFromForm(v, []);
  const problems = [
    ...checkContact(o.contact, 'body.contact'),
    ...checkAddress(o.shippingAddress, 'body.shippingAddress'),
    ...checkCustomer(o.customerId, 'body.customerId'),
  ];
  const errors = formErrors(problems, v);
  for (const f of CHECKOUT_FIELDS) {
    if (!v[f.name]) errors[f.name] ??= MESSAGES[f.name].missing;
    // order-api refuses these too (a 400); say which field rather than "could not be read".
    else if (hasControlCharacter(v[f.name])) errors[f.name] ??= MESSAGES[f.name].invalid;
  }
  // The shop delivers to fewer countries than order-api can record.
  if (v.country && !COUNTRIES.some(([code]) => code === v.country))
    errors.country ??= MESSAGES.country.invalid;
  return errors;
}
