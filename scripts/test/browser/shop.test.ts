// A shopper in Debian's Chromium against the whole shop started by this test: product-api,
// order-api and the storefront as real processes (node dist/main.js) on the embedded database
// (PGlite, the `npm start` setup) with the demo catalog, on free ports.
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildServices } from '../../src/start/build';
import { Stack } from '../../src/start/stack';
import { freePort, launchChromium, SCREENSHOTS } from './helpers';

jest.setTimeout(240_000);

interface ApiProduct {
  id: string;
  name: string;
  priceMinor: number;
  stock: number;
}

describe('shopping in a real browser', () => {
  let stack: Stack;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const logs: string[] = [];

  const api = async <T>(name: 'product-api' | 'order-api', p: string): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${stack.ports[name]}${p}`);
    if (!res.ok) throw new Error(`${name} ${p} answered ${res.status}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const build = buildServices(['product-api', 'order-api', 'frontend']);
    if (!build.ok) throw new Error(`build failed:\n${build.output}`);
    stack = new Stack({
      ports: { 'product-api': await freePort(), 'order-api': await freePort(), frontend: await freePort() },
      out: (l) => logs.push(l),
    });
    stack.start();
    try {
      await stack.ready(180_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- stack log ---\n${logs.slice(-40).join('\n')}`);
    }
    browser = await launchChromium();
    page = await browser.context.newPage();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const shop = (p: string) => `http://127.0.0.1:${stack.ports.frontend}${p}`;

  it('searches, adds two products, checks out (after fixing an empty name) and sees the confirmation', async () => {
    await page.goto(shop('/'));
    await page.getByLabel('Search products').fill('laptop');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/products\?q=laptop/);
    await expectText(page.getByRole('heading', { level: 1 }), 'Results for “laptop”');
    const cards = page.locator('ul.grid article.card');
    expect(await cards.count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'listing.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 }); // a phone
    await page.screenshot({ path: path.join(SCREENSHOTS, 'listing-phone.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Two different products from the results, one of each.
    const hrefs = await page
      .locator('ul.grid h3 a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    const ids = hrefs.slice(0, 2).map((h) => h.split('/').pop()!);
    const before = await Promise.all(ids.map((id) => api<ApiProduct>('product-api', `/products/${id}`)));
    for (const href of hrefs.slice(0, 2)) {
      await page.goto(shop(href));
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.waitForURL(/\/cart\?notice=added/);
    }
    await page.reload(); // the cart is in the cookie: it survives a reload
    await expectText(page.locator('.cart-link .badge'), '2');
    expect(await page.locator('tbody tr').count()).toBe(2);

    await page.getByRole('link', { name: 'Check out' }).click();
    await page.waitForURL(/\/checkout$/);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Street and number').fill('Rue de la Loi 16');
    await page.getByLabel('Postal code').fill('1000');
    await page.getByLabel('City').fill('Brussels');
    await page.getByLabel('Country').selectOption('BE');
    const [invalid] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/checkout') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Place order' }).click(),
    ]);
    expect(invalid.status()).toBe(422);
    await expectText(page.locator('#name-error'), 'Enter your full name');
    expect(await page.getByLabel('Full name').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'checkout-errors.png'), fullPage: true });
    // What the shopper already typed is kept.
    expect(await page.getByLabel('City').inputValue()).toBe('Brussels');

    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[^/?]+\?placed=1$/);
    await expectText(page.getByRole('heading', { level: 1 }), 'Thank you, your order is placed');
    const orderId = (await page.getByTestId('order-id').textContent())!.trim();
    const shownTotal = (await page.getByTestId('order-total').textContent())!.trim();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'confirmation.png'), fullPage: true });

    // The order exists in order-api with the catalog's prices, and the stock went down.
    const order = await api<{
      status: string;
      totalMinor: number;
      currency: string;
      items: { productId: string; quantity: number }[];
    }>('order-api', `/orders/${orderId}`);
    const expectedTotal = before[0]!.priceMinor + before[1]!.priceMinor;
    expect(order.status).toBe('confirmed');
    expect(order.totalMinor).toBe(expectedTotal);
    expect(order.items.map((i) => [i.productId, i.quantity]).sort()).toEqual(ids.map((id) => [id, 1]).sort());
    expect(shownTotal).toBe(
      new Intl.NumberFormat('en-IE', { style: 'currency', currency: order.currency }).format(
        expectedTotal / 100,
      ),
    );
    // product-api's read cache may serve the old row for up to catalog.cacheTtlMs (1 s).
    await new Promise((r) => setTimeout(r, 1100));
    const settled = await Promise.all(ids.map((id) => api<ApiProduct>('product-api', `/products/${id}`)));
    expect(settled.map((p) => p.stock)).toEqual(before.map((p) => p.stock - 1));
    // The cart was emptied by the order.
    await expectText(page.locator('.cart-link .badge'), '0');
  });

  it('shows "catalog temporarily unavailable" with 503 while product-api is stopped', async () => {
    // Something in the cart first: the outage page must still show it.
    await page.goto(shop('/products?q=usb'));
    await page.locator('ul.grid h3 a').first().click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(/\/cart\?notice=added/);
    expect(await stack.stopOne('product-api')).toBe(0);
    const res = await page.goto(shop('/products?category=audio'));
    expect(res!.status()).toBe(503);
    await expectText(page.getByRole('heading', { level: 1 }), 'Catalog temporarily unavailable');
    await expectText(page.locator('.cart-link .badge'), '1');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'unavailable.png'), fullPage: true });
  });
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.first().waitFor({ timeout: 10_000 });
  expect((await locator.first().textContent())?.trim()).toBe(text);
}
