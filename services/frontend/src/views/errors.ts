// Pages for when something is missing or down. An outage page says what the shopper can do.
import { html, type Html } from '../web/html';

export function unavailablePage(what: 'catalog' | 'orders'): Html {
  const heading = what === 'catalog' ? 'Catalog temporarily unavailable' : 'Orders temporarily unavailable';
  const detail =
    what === 'catalog'
      ? 'We cannot show products right now. Your cart is safe; please try again in a minute.'
      : 'We cannot reach our order system right now. Nothing was charged and your cart is kept; please try again in a minute.';
  return html`<div class="notice warn" role="alert">
    <h1>${heading}</h1>
    <p>${detail}</p>
    <p><a href="">Try again</a> · <a href="/">Go to the home page</a></p>
  </div>`;
}

export function notFoundPage(message = 'We could not find that page.'): Html {
  return html`<h1>Not found</h1>
    <p>${message}</p>
    <p><a href="/products">Browse all products</a> or use the search above.</p>`;
}

export function badRequestPage(message: string): Html {
  return html`<h1>That request did not work</h1>
    <p>${message}</p>
    <p><a href="/products">Start again from all products</a>.</p>`;
}

export function errorPage(requestId: string): Html {
  return html`<h1>Something went wrong</h1>
    <p>Sorry, this page failed. If it keeps happening, tell us this reference: <code>${requestId}</code>.</p>
    <p><a href="/">Go to the home page</a></p>`;
}
