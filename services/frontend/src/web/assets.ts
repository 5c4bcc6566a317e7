// Static files are read once at start-up and served from memory under a name that carries a hash
// of their content (styles.3f9a1c2e.css). A changed file gets a new URL, so browsers and proxies
// may keep any one URL for a year without ever showing a stale stylesheet.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface Asset {
  url: string;
  contentType: string;
  body: Buffer;
}

export class Assets {
  private readonly byName = new Map<string, Asset>();
  private readonly byUrl = new Map<string, Asset>();

  constructor(
    dir: string,
    readonly prefix = '/assets/',
  ) {
    for (const name of fs.readdirSync(dir).sort()) {
      const ext = path.extname(name);
      const contentType = TYPES[ext];
      if (!contentType) continue;
      const body = fs.readFileSync(path.join(dir, name));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const url = `${prefix}${path.basename(name, ext)}.${hash}${ext}`;
      const asset = { url, contentType, body };
      this.byName.set(name, asset);
      this.byUrl.set(url, asset);
    }
  }

  /** The fingerprinted URL of a file in public/; throws for a file that does not exist. */
  url(name: string): string {
    const a = this.byName.get(name);
    if (!a) throw new Error(`no static asset named ${name}`);
    return a.url;
  }

  find(url: string): Asset | undefined {
    return this.byUrl.get(url);
  }
}
