// The page frame: landmarks (banner, navigation, main, contentinfo), a skip link, the search form
// and the cart count. Every page is a full HTML document; no script is needed to use the shop.
import { html, type Html } from '../web/html';

export interface PageFrame {
  title: string;
  body: Html;
  cartCount: number;
  stylesheet: string;
  /** Categories for the navigation bar; empty when product-api could not be asked. */
  categories?: readonly string[];
  currentCategory?: string;
  query?: string;
}

export function layout(p: PageFrame): Html {
  const cartLabel = p.cartCount === 1 ? '1 item' : `${p.cartCount} items`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${p.title} · TechCommerce</title>
        <link rel="stylesheet" href="${p.stylesheet}" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <div class="wrap">
            <a class="logo" href="/">TechCommerce</a>
            <form class="search" role="search" action="/products" method="get">
              <label class="visually-hidden" for="search-q">Search products</label>
              <input
                id="search-q"
                type="search"
                name="q"
                value="${p.query ?? ''}"
                placeholder="Search laptops, phones, audio…"
                maxlength="100"
              />
              <button type="submit">Search</button>
            </form>
            <a class="cart-link" href="/cart"
              >Cart <span class="badge" aria-label="${cartLabel}">${p.cartCount}</span></a
            >
          </div>
        </header>
        ${
          p.categories?.length
            ? html`<nav class="categories" aria-label="Categories">
                <ul class="wrap">
                  ${p.categories.map(
                    (c) =>
                      html`<li>
                        <a
                          href="/products?category=${encodeURIComponent(c)}"
                          ${c === p.currentCategory ? html` aria-current="page"` : ''}
                          >${c}</a
                        >
                      </li>`,
                  )}
                </ul>
              </nav>`
            : ''
        }
        <main id="main" tabindex="-1">
          <div class="wrap">${p.body}</div>
        </main>
        <footer class="site-footer">
          <div class="wrap"><span>TechCommerce demo shop</span><a href="/orders">Find an order</a></div>
        </footer>
      </body>
    </html> `;
}
