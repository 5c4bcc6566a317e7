// The README stays a front page (at most 10 KB: the two commands, their cost, what is real, links
// to docs/ for the rest), its relative links and those of the docs moved out of it resolve, and
// its screenshot is a small PNG.
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');
const MAX_README_BYTES = 10 * 1024;

/** Targets of markdown links and images that are paths in the repository (no URL, no anchor-only). */
function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string);
  return targets
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
    .map((t) => t.split('#')[0] as string);
}

test('README.md is at most 10 KB', () => {
  expect(fs.statSync(path.join(repoRoot, 'README.md')).size).toBeLessThanOrEqual(MAX_README_BYTES);
});

test('README.md names the two commands and the cost of the first npm test', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  expect(text).toContain('npm ci && npm start');
  expect(text).toContain('npm ci && npm test');
  expect(text).toMatch(/20–30 min/);
  expect(text).toMatch(/9 GB/);
});

test.each(['README.md', 'docs/toolchain.md', 'docs/values-cli.md', 'docs/local-cluster.md'])(
  'every relative link in %s resolves',
  (file) => {
    const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
    const links = relativeLinks(text);
    if (file === 'README.md') expect(links.length).toBeGreaterThan(5);
    const missing = links.filter((l) => !fs.existsSync(path.resolve(repoRoot, path.dirname(file), l)));
    expect(missing).toEqual([]);
  },
);

test('the storefront screenshot is a PNG under 100 KB', () => {
  const png = fs.readFileSync(path.join(repoRoot, 'docs', 'storefront.png'));
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.length).toBeLessThan(100 * 1024);
});
