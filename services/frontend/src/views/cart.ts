// The cart page: one row per product with a quantity form and a remove button, then the subtotal.
import type { Product } from '../api/catalog';
import { formatMoney } from '../money';
import { html, type Html } from '../web/html';
import { notice } from './components';

export interface PricedLine {
  product: Product;
  quantity: number;
  lineTotalMinor: number;
}

export interface CartView {
  lines: readonly PricedLine[];
  /** Null when the cart mixes currencies (the catalog never does; then no total is shown). */
  subtotal: { minor: number; currency: string } | null;
  maxQuantity: number;
  messages: readonly { kind: 'ok' | 'warn' | 'error'; text: string }[];
}

export function subtotalOf(lines: readonly PricedLine[]): CartView['subtotal'] {
  if (lines.length === 0) return null;
  const currency = lines[0]!.product.currency;
  if (lines.some((l) => l.product.currency !== currency)) return null;
  return { minor: lines.reduce((s, l) => s + l.lineTotalMinor, 0), currency };
}

export function cartPage(v: CartView): Html {
  const messages = v.messages.map((m) => notice(m.kind, m.text, m.kind === 'error' ? 'alert' : 'status'));
  if (v.lines.length === 0) {
    return html`<h1>Your cart</h1>
      ${messages}
      <p>Your cart is empty.</p>
      <p><a class="button" href="/products">Browse products</a></p>`;
  }
  return html`<h1>Your cart</h1>
    ${messages}
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">
          Products in your cart
        </caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col" class="num">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col" class="num">Total</th>
            <th scope="col"><span class="visually-hidden">Remove</span></th>
          </tr>
        </thead>
        <tbody>
          ${v.lines.map((l) => {
            const id = encodeURIComponent(l.product.id);
            return html`<tr>
              <td><a href="/products/${id}">${l.product.name}</a></td>
              <td class="num">${formatMoney(l.product.priceMinor, l.product.currency)}</td>
              <td>
                <form class="qty-form" method="post" action="/cart/items/${id}">
                  <label class="visually-hidden" for="qty-${l.product.id}"
                    >Quantity of ${l.product.name}</label
                  >
                  <input
                    id="qty-${l.product.id}"
                    type="number"
                    name="quantity"
                    value="${l.quantity}"
                    min="0"
                    max="${v.maxQuantity}"
                    required
                  />
                  <button type="submit" class="secondary">Update</button>
                </form>
              </td>
              <td class="num">${formatMoney(l.lineTotalMinor, l.product.currency)}</td>
              <td>
                <form method="post" action="/cart/items/${id}/remove">
                  <button type="submit" class="link">
                    Remove<span class="visually-hidden"> ${l.product.name}</span>
                  </button>
                </form>
              </td>
            </tr>`;
          })}
        </tbody>
        ${
          v.subtotal
            ? html`<tfoot>
                <tr>
                  <td colspan="3">Subtotal</td>
                  <td class="num" data-testid="cart-subtotal">
                    ${formatMoney(v.subtotal.minor, v.subtotal.currency)}
                  </td>
                  <td></td>
                </tr>
              </tfoot>`
            : ''
        }
      </table>
    </div>
    <div class="summary">
      <a class="button secondary" href="/products">Continue shopping</a>
      <a class="button" href="/checkout">Check out</a>
    </div>`;
}
