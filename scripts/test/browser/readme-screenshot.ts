// `npx tsx scripts/test/browser/readme-screenshot.ts`: the storefront screenshot in the README
// (docs/storefront.png), taken the way the browser tests drive the shop: the three services on
// free ports with the demo catalog, Debian's Chromium headless through playwright-core. With
// pngquant on PATH (Debian: apt-get install pngquant) the PNG is reduced to 256 colours, about a
// quarter of the size (the banner's gradient compresses badly).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildServices } from '../../src/start/build';
import { repoRoot, Stack } from '../../src/start/stack';
import { freePort, launchChromium } from './helpers';

async function main(): Promise<void> {
  const build = buildServices(['product-api', 'order-api', 'frontend']);
  if (!build.ok) throw new Error(`build failed:\n${build.output}`);
  const stack = new Stack({
    ports: { 'product-api': await freePort(), 'order-api': await freePort(), frontend: await freePort() },
    out: () => undefined,
  });
  stack.start();
  try {
    await stack.ready(180_000);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 960, height: 600 });
      await page.goto(`http://127.0.0.1:${stack.ports.frontend}/`, { waitUntil: 'networkidle' });
      const out = path.join(repoRoot, 'docs', 'storefront.png');
      await page.screenshot({ path: out });
      const q = spawnSync('pngquant', ['--force', '--skip-if-larger', '--output', out, '256', '--', out]);
      if (q.error) console.log('pngquant is not installed: the PNG stays full colour');
      console.log(
        `written: ${path.relative(repoRoot, out)} (${Math.round(fs.statSync(out).size / 1024)} KB)`,
      );
    } finally {
      await browser.close();
    }
  } finally {
    await stack.stop();
  }
}

main().catch((err: Error) => {
  console.error(`readme-screenshot: ${err.message}`);
  process.exitCode = 1;
});
