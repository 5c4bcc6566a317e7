// Pieces several pages share: product cards, price and stock lines, notices.
import type { Product } from '../api/catalog';
import { formatMoney } from '../money';
import { html, type Html } from '../web/html';

// The demo catalog's categories each have a colour (public/styles.css); others share a grey.
const KNOWN_CATEGORIES = new Set([
  'accessories',
  'audio',
  'gaming',
  'laptops',
  'monitors',
  'networking',
  'phones',
  'storage',
  'tablets',
  'wearables',
]);

/** A coloured placeholder with the product's initial (the catalog has no images). */
export function thumb(p: Pick<Product, 'name' | 'category'>, large = false): Html {
  const cat = KNOWN_CATEGORIES.has(p.category) ? p.category : 'other';
  const initial = [...p.name.trim()][0] ?? '?';
  return html`<div class="thumb cat-${cat}${large ? ' large' : ''}" aria-hidden="true">${initial}</div>`;
}

export function price(p: Pick<Product, 'priceMinor' | 'currency'>): Html {
  return html`<span class="price">${formatMoney(p.priceMinor, p.currency)}</span>`;
}

export function stockLine(stock: number): Html {
  if (stock <= 0) return html`<span class="stock out">Out of stock</span>`;
  if (stock <= 5) return html`<span class="stock low">Only ${stock} left</span>`;
  return html`<span class="stock in">In stock</span>`;
}

export function productCard(p: Product): Html {
  return html`<li>
    <article class="card">
      ${thumb(p)}
      <div class="card-body">
        <span class="category">${p.category}</span>
        <h3><a href="/products/${encodeURIComponent(p.id)}">${p.name}</a></h3>
        ${price(p)} ${stockLine(p.stock)}
      </div>
    </article>
  </li>`;
}

export function productGrid(items: readonly Product[], label: string): Html {
  return html`<ul class="grid" aria-label="${label}">
    ${items.map(productCard)}
  </ul>`;
}

export type NoticeKind = 'info' | 'ok' | 'warn' | 'error';

export function notice(kind: NoticeKind, body: Html | string, role: 'status' | 'alert' = 'status'): Html {
  return html`<div class="notice ${kind === 'info' ? '' : kind}" role="${role}">${body}</div>`;
}
