import { escapeHtml, html, raw } from '../src/web/html';
import { productCard } from '../src/views/components';
import { productPage } from '../src/views/catalog';
import { layout } from '../src/views/layout';
import type { Product } from '../src/api/catalog';

const evil: Product = {
  id: '0b7e4a52-8a43-4f35-9d5f-2a8f0c6d9e11',
  sku: 'X-1"><img src=x onerror=alert(1)>',
  name: '<script>alert("pwned")</script>',
  description: "</p><iframe src='//evil'></iframe>",
  category: 'audio" onmouseover="alert(1)',
  priceMinor: 1999,
  currency: 'EUR',
  stock: 3,
};

describe('html templates', () => {
  it('escapes every interpolated value by default', () => {
    const out = html`<p title="${`"x' <b>`}">${'<b>&</b>'}</p>`.value;
    expect(out).toBe('<p title="&quot;x&#39; &lt;b&gt;">&lt;b&gt;&amp;&lt;/b&gt;</p>');
  });

  it('keeps nested templates and raw() as markup, and renders lists and empty values', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    // Called as a function so the formatter leaves the exact markup alone.
    const strings = Object.assign(['<ul>', '</ul>', '', '', '', ''], { raw: [] as string[] });
    expect(html(strings, items, null, undefined, false, raw('<hr>')).value).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul><hr>',
    );
  });

  it('escapes the characters that end attributes and tags', () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('renders a product named <script> inert on its card and its page', () => {
    for (const out of [productCard(evil).value, productPage(evil, 0, 10).value]) {
      expect(out).not.toMatch(/<script/i);
      expect(out).not.toMatch(/<iframe/i);
      expect(out).not.toMatch(/<img/i);
      // Attribute values cannot be broken out of either.
      expect(out).not.toMatch(/"\s*onmouseover=/);
      expect(out).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    }
  });

  it('escapes the search query echoed in the layout', () => {
    const page = layout({
      title: '"><script>x</script>',
      body: html`<p>ok</p>`,
      cartCount: 0,
      stylesheet: '/assets/styles.css',
      query: '"><script>alert(1)</script>',
    }).value;
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});
