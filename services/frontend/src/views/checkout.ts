// Checkout form and the order pages. Errors are listed at the top (linked to their fields) and
// next to each field, and the fields say so to assistive technology (aria-invalid/describedby).
import type { Order, OrderStatus } from '../api/orders';
import order from '../generated/order.schema.json';
import { formatMoney } from '../money';
import { html, type Html } from '../web/html';
import { notice } from './components';
import type { CartView } from './cart';

const { Contact, Address } = order.$defs;

// maxlength comes from order-api's schema (schemas/api/order.schema.json), like the checks.
export const CHECKOUT_FIELDS = [
  {
    name: 'name',
    label: 'Full name',
    type: 'text',
    autocomplete: 'name',
    wide: true,
    maxLength: Contact.properties.name.maxLength,
  },
  {
    name: 'email',
    label: 'Email',
    type: 'email',
    autocomplete: 'email',
    wide: true,
    maxLength: Contact.properties.email.maxLength,
  },
  {
    name: 'line1',
    label: 'Street and number',
    type: 'text',
    autocomplete: 'address-line1',
    wide: true,
    maxLength: Address.properties.line1.maxLength,
  },
  {
    name: 'postalCode',
    label: 'Postal code',
    type: 'text',
    autocomplete: 'postal-code',
    wide: false,
    maxLength: Address.properties.postalCode.maxLength,
  },
  {
    name: 'city',
    label: 'City',
    type: 'text',
    autocomplete: 'address-level2',
    wide: false,
    maxLength: Address.properties.city.maxLength,
  },
  {
    name: 'country',
    label: 'Country',
    type: 'select',
    autocomplete: 'country',
    wide: true,
    maxLength: Address.properties.country.maxLength,
  },
] as const;

/** Where the shop delivers: ISO 3166-1 alpha-2 code (what order-api stores) and name. */
export const COUNTRIES: readonly (readonly [string, string])[] = [
  ['AT', 'Austria'],
  ['BE', 'Belgium'],
  ['DK', 'Denmark'],
  ['FI', 'Finland'],
  ['FR', 'France'],
  ['DE', 'Germany'],
  ['IE', 'Ireland'],
  ['IT', 'Italy'],
  ['LU', 'Luxembourg'],
  ['NL', 'Netherlands'],
  ['NO', 'Norway'],
  ['PL', 'Poland'],
  ['PT', 'Portugal'],
  ['ES', 'Spain'],
  ['SE', 'Sweden'],
  ['CH', 'Switzerland'],
  ['GB', 'United Kingdom'],
];

export type CheckoutField = (typeof CHECKOUT_FIELDS)[number]['name'];
export type CheckoutValues = Record<CheckoutField, string>;
export type CheckoutErrors = Partial<Record<CheckoutField, string>>;

export interface CheckoutView {
  cart: CartView;
  values: CheckoutValues;
  errors: CheckoutErrors;
  idempotencyKey: string;
  /** A refusal from order-api (stock, unknown product) shown above the form. */
  problem?: string;
}

function summary(cart: CartView): Html {
  return html`<section class="panel" aria-labelledby="summary-title">
    <h2 id="summary-title">Order summary</h2>
    <dl class="facts">
      ${cart.lines.map(
        (l) =>
          html`<dt>${l.quantity} × ${l.product.name}</dt>
            <dd class="num">${formatMoney(l.lineTotalMinor, l.product.currency)}</dd>`,
      )}
      ${
        cart.subtotal
          ? html`<dt>Subtotal</dt>
              <dd class="num">${formatMoney(cart.subtotal.minor, cart.subtotal.currency)}</dd>`
          : ''
      }
    </dl>
    <p class="muted">The final total is confirmed by our order system when you place the order.</p>
    <p><a href="/cart">Change your cart</a></p>
  </section>`;
}

export function checkoutPage(v: CheckoutView): Html {
  const errorList = CHECKOUT_FIELDS.filter((f) => v.errors[f.name]);
  return html`<h1>Checkout</h1>
    ${v.problem ? notice('error', v.problem, 'alert') : ''}
    ${
      errorList.length
        ? html`<div class="notice error" role="alert" aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">
              Please correct ${errorList.length === 1 ? 'this field' : `these ${errorList.length} fields`}
            </h2>
            <ul>
              ${errorList.map((f) => html`<li><a href="#${f.name}">${v.errors[f.name]}</a></li>`)}
            </ul>
          </div>`
        : ''
    }
    <div class="layout-2">
      <form class="panel" method="post" action="/checkout" novalidate>
        <input type="hidden" name="idempotencyKey" value="${v.idempotencyKey}" />
        <fieldset class="plain">
          <legend class="visually-hidden">Your details and delivery address</legend>
          <div class="form-grid">
            ${CHECKOUT_FIELDS.map((f) => {
              const err = v.errors[f.name];
              return html`<div class="field${f.wide ? ' wide' : ''}">
                <label for="${f.name}">${f.label}</label>
                ${
                  f.type === 'select'
                    ? html`<select
                        id="${f.name}"
                        name="${f.name}"
                        autocomplete="${f.autocomplete}"
                        required${err ? html` aria-invalid="true" aria-describedby="${f.name}-error"` : ''}
                      >
                        <option value="">Choose a country</option>
                        ${COUNTRIES.map(
                          ([code, label]) =>
                            html`<option value="${code}" ${v.values[f.name] === code ? html` selected` : ''}>
                              ${label}
                            </option>`,
                        )}
                      </select>`
                    : html`<input
                        id="${f.name}"
                        name="${f.name}"
                        type="${f.type}"
                        autocomplete="${f.autocomplete}"
                        value="${v.values[f.name]}"
                        maxlength="${f.maxLength}"
                        required${err ? html` aria-invalid="true" aria-describedby="${f.name}-error"` : ''}
                      />`
                }
                ${err ? html`<p class="field-error" id="${f.name}-error">${err}</p>` : ''}
              </div>`;
            })}
          </div>
        </fieldset>
        <button type="submit">Place order</button>
      </form>
      ${summary(v.cart)}
    </div>`;
}

const STATUS_TEXT: Record<OrderStatus, string> = {
  pending: 'Received: we are confirming the stock',
  confirmed: 'Confirmed',
  failed: 'Not placed',
  cancelled: 'Cancelled',
};

function heading(order: Order, justPlaced: boolean): Html {
  if (!justPlaced) return html`<h1>Order ${order.id}</h1>`;
  if (order.status === 'failed')
    return notice(
      'error',
      html`<h1>Your order could not be placed</h1>
        <p>Nothing was charged.</p>`,
      'alert',
    );
  return html`<div class="notice ok" role="status">
    <h1>Thank you, your order is placed</h1>
    <p>
      ${order.contact ? `A confirmation goes to ${order.contact.email}. ` : ''}Keep the order number to find
      the order later.
    </p>
  </div>`;
}

export function orderPage(order: Order, justPlaced: boolean): Html {
  // A pending or failed order may not be priced yet: say so rather than show a number.
  const money = (minor: number | null) =>
    minor === null || order.currency === null ? 'not priced yet' : formatMoney(minor, order.currency);
  return html`${heading(order, justPlaced)}
    <div class="layout-2">
      <section class="panel" aria-labelledby="items-title">
        <h2 id="items-title">Items</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" class="num">Quantity</th>
                <th scope="col" class="num">Price</th>
                <th scope="col" class="num">Total</th>
              </tr>
            </thead>
            <tbody>
              ${order.items.map(
                (i) =>
                  html`<tr>
                    <td>
                      <a href="/products/${encodeURIComponent(i.productId)}"
                        >${i.name ?? i.sku ?? i.productId}</a
                      >
                    </td>
                    <td class="num">${i.quantity}</td>
                    <td class="num">${money(i.unitPriceMinor)}</td>
                    <td class="num">${money(i.lineTotalMinor)}</td>
                  </tr>`,
              )}
            </tbody>
            <tfoot>
              <tr>
                <td colspan="3">Total</td>
                <td class="num" data-testid="order-total">${money(order.totalMinor)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <section class="panel" aria-labelledby="order-facts-title">
        <h2 id="order-facts-title">Order details</h2>
        <dl class="facts">
          <dt>Order number</dt>
          <dd data-testid="order-id">${order.id}</dd>
          <dt>Status</dt>
          <dd>${STATUS_TEXT[order.status] ?? order.status}</dd>
          ${
            order.contact
              ? html`<dt>Name</dt>
                  <dd>${order.contact.name}</dd>`
              : ''
          }
          <dt>Placed</dt>
          <dd>${new Date(order.createdAt).toUTCString()}</dd>
        </dl>
        <p><a href="/products">Continue shopping</a></p>
      </section>
    </div>`;
}

export function lookupPage(id: string, email: string, error?: string): Html {
  const invalid = error ? html` aria-invalid="true" aria-describedby="lookup-error"` : '';
  return html`<h1>Find an order</h1>
    <form class="panel narrow" method="get" action="/orders">
      ${error ? html`<p class="field-error" id="lookup-error" role="alert">${error}</p>` : ''}
      <div class="field">
        <label for="order-id">Order number</label>
        <input id="order-id" name="id" type="text" value="${id}" maxlength="64" required${invalid} />
      </div>
      <div class="field">
        <label for="order-email">Email address</label>
        <input
          id="order-email"
          name="email"
          type="email"
          autocomplete="email"
          value="${email}"
          maxlength="${Contact.properties.email.maxLength}"
          required${invalid}
        />
      </div>
      <button type="submit">Find order</button>
    </form>`;
}
