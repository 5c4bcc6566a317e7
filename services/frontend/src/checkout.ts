// Checkout form input: trimmed, bounded, and checked field by field with messages for people.
import { CHECKOUT_FIELDS, COUNTRIES, type CheckoutErrors, type CheckoutValues } from './views/checkout';

// Deliberately simple: one @, something before it, a dot in the domain. order-api has the last word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readCheckoutForm(body: unknown): CheckoutValues {
  const src = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values = {} as CheckoutValues;
  for (const f of CHECKOUT_FIELDS) {
    const v = src[f.name];
    values[f.name] = typeof v === 'string' ? v.trim().slice(0, 200) : '';
  }
  return values;
}

export function validateCheckout(v: CheckoutValues): CheckoutErrors {
  const errors: CheckoutErrors = {};
  if (!v.name) errors.name = 'Enter your full name';
  else if (v.name.length < 2) errors.name = 'Full name must be at least 2 characters';
  if (!v.email) errors.email = 'Enter your email address';
  else if (!EMAIL.test(v.email)) errors.email = 'Enter an email address like name@example.com';
  if (!v.line1) errors.line1 = 'Enter your street and house number';
  if (!v.postalCode) errors.postalCode = 'Enter your postal code';
  else if (!/^[A-Za-z0-9 -]{2,12}$/.test(v.postalCode))
    errors.postalCode = 'Postal code may only contain letters, digits, spaces and dashes';
  if (!v.city) errors.city = 'Enter your city';
  if (!v.country) errors.country = 'Choose your country';
  else if (!COUNTRIES.some(([code]) => code === v.country)) errors.country = 'Choose a country from the list';
  return errors;
}
