// Home, listing (all, category, search) and product pages.
import type { CategorySummary, Product } from '../api/catalog';
import { html, type Html } from '../web/html';
import { notice, price, productGrid, stockLine, thumb } from './components';

export function homePage(featured: readonly Product[], categories: readonly CategorySummary[]): Html {
  return html`<section class="hero" aria-labelledby="hero-title">
      <h1 id="hero-title">Tech that works as hard as you do</h1>
      <p>Laptops, phones, audio and more, shipped from stock. Prices include VAT.</p>
      <a class="button" href="/products">Browse all products</a>
    </section>
    <section aria-labelledby="featured-title">
      <h2 id="featured-title">New in the shop</h2>
      ${productGrid(featured, 'Featured products')}
    </section>
    <section aria-labelledby="categories-title">
      <h2 id="categories-title">Shop by category</h2>
      <ul class="grid" aria-label="Categories">
        ${categories.map(
          (c) =>
            html`<li>
              <a class="card" href="/products?category=${encodeURIComponent(c.category)}">
                ${thumb({ name: c.category, category: c.category })}
                <span class="card-body"
                  ><strong class="category">${c.category}</strong
                  ><span class="muted">${c.products} products</span></span
                >
              </a>
            </li>`,
        )}
      </ul>
    </section>`;
}

export interface ListingView {
  heading: string;
  items: readonly Product[];
  page: number;
  /** Link to the next page, or undefined on the last one. */
  nextHref?: string;
  firstHref: string;
  query?: string;
}

export function listingPage(v: ListingView): Html {
  const count =
    v.items.length === 0
      ? ''
      : html`<p class="muted" role="status">
          Page ${v.page}: ${v.items.length} ${v.items.length === 1 ? 'product' : 'products'}
        </p>`;
  const empty =
    v.items.length === 0
      ? notice(
          'info',
          v.query
            ? html`No products match <strong>${v.query}</strong>. Try another word, or
                <a href="/products">browse everything</a>.`
            : html`There are no products here yet. <a href="/products">Browse everything</a>.`,
        )
      : '';
  return html`<h1>${v.heading}</h1>
    ${count}${empty} ${v.items.length ? productGrid(v.items, v.heading) : ''}
    <nav class="pagination" aria-label="Pagination">
      <span>${v.page > 1 ? html`<a href="${v.firstHref}">« First page</a>` : ''}</span>
      <span
        >${v.nextHref ? html`<a class="button secondary" rel="next" href="${v.nextHref}">Next page »</a>` : ''}</span
      >
    </nav>`;
}

export function productPage(p: Product, inCart: number, maxQuantity: number): Html {
  const canBuy = p.stock > 0 && inCart < maxQuantity;
  const max = Math.max(1, Math.min(maxQuantity - inCart, p.stock));
  return html`<nav class="breadcrumbs" aria-label="Breadcrumbs">
      <ol>
        <li><a href="/">Home</a></li>
        <li><a href="/products?category=${encodeURIComponent(p.category)}">${p.category}</a></li>
        <li aria-current="page">${p.name}</li>
      </ol>
    </nav>
    <article class="product">
      ${thumb(p, true)}
      <div>
        <h1>${p.name}</h1>
        <p>${price(p)}</p>
        <p>${stockLine(p.stock)}${inCart ? html` · <a href="/cart">${inCart} in your cart</a>` : ''}</p>
        <p>${p.description}</p>
        <p class="muted">SKU ${p.sku}</p>
        ${
          canBuy
            ? html`<form class="buy" method="post" action="/cart/items">
                <input type="hidden" name="productId" value="${p.id}" />
                <div class="field">
                  <label for="quantity">Quantity</label>
                  <input
                    id="quantity"
                    type="number"
                    name="quantity"
                    value="1"
                    min="1"
                    max="${max}"
                    required
                  />
                </div>
                <button type="submit">Add to cart</button>
              </form>`
            : html`<p class="muted">
                ${p.stock > 0 ? `You have the most one order may hold (${maxQuantity}).` : 'This product is out of stock.'}
              </p>`
        }
      </div>
    </article>`;
}
