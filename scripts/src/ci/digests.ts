// Image digests from the matrix of image jobs to the deploy jobs: each image job records its
// service's digest in a small JSON file (uploaded as an artifact); the digests job reads them all
// back and assembles one JSON object, service → digest, checked against the services expected.
// JSON both ways, so no newline, quoting or glob order can change the result.
import fs from 'node:fs';
import path from 'node:path';

export const DIGEST = /^sha256:[a-f0-9]{64}$/;
const SERVICE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface DigestRecord {
  service: string;
  image: string;
  digest: string;
}

export function checkDigest(what: string, digest: string): string {
  if (!DIGEST.test(digest)) throw new Error(`${what}: not an image digest (sha256:<64 hex>): "${digest}"`);
  return digest;
}

/** Writes <dir>/<service>.json for one image; returns the file. */
export function recordDigest(dir: string, r: DigestRecord): string {
  if (!SERVICE.test(r.service)) throw new Error(`not a service name: "${r.service}"`);
  checkDigest(r.service, r.digest);
  if (!r.image || /[@\s]/.test(r.image))
    throw new Error(`image must be a repository without tag or digest: "${r.image}"`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.service}.json`);
  fs.writeFileSync(file, `${JSON.stringify(r)}\n`);
  return file;
}

/**
 * Reads every <service>.json in `dir` and returns service → digest with sorted keys; fails unless
 * exactly the expected services are there, each once, each with a well-formed digest.
 */
export function collectDigests(dir: string, expected: readonly string[]): DigestRecord[] {
  if (!fs.existsSync(dir))
    throw new Error(`no digests folder ${dir}: did the image jobs upload their digests?`);
  const records: DigestRecord[] = [];
  const problems: string[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, f);
    if (!f.endsWith('.json')) {
      problems.push(`unexpected file ${f} (each image job writes <service>.json)`);
      continue;
    }
    let r: Partial<DigestRecord>;
    try {
      r = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DigestRecord>;
    } catch (e) {
      problems.push(`${f}: not JSON (${(e as Error).message})`);
      continue;
    }
    if (r.service !== f.replace(/\.json$/, '')) problems.push(`${f}: names service "${r.service}"`);
    else if (typeof r.digest !== 'string' || !DIGEST.test(r.digest))
      problems.push(`${f}: digest "${r.digest}" is not sha256:<64 hex>`);
    else if (typeof r.image !== 'string' || !r.image) problems.push(`${f}: no image`);
    else records.push(r as DigestRecord);
  }
  const got = records.map((r) => r.service);
  const missing = expected.filter((s) => !got.includes(s));
  const extra = got.filter((s) => !expected.includes(s));
  if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
  if (extra.length) problems.push(`not expected: ${extra.join(', ')}`);
  if (problems.length) {
    throw new Error(
      `expected one digest for each of ${expected.join(', ')} in ${dir}:\n  ${problems.join('\n  ')}`,
    );
  }
  return records.sort((a, b) => a.service.localeCompare(b.service));
}

/** The run-summary table of the images that will be deployed. */
export function digestsMarkdown(records: readonly DigestRecord[]): string {
  return [
    '### Images (deployed by digest)',
    '',
    '| service | image |',
    '| --- | --- |',
    ...records.map((r) => `| ${r.service} | \`${r.image}@${r.digest}\` |`),
    '',
  ].join('\n');
}

/** repository@sha256:… (a reference by digest, no tag). */
export const IMAGE_BY_DIGEST = /^([a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+)@(sha256:[a-f0-9]{64})$/;

export interface ImageByDigest {
  repository: string;
  digest: string;
}

/** The `images` output: service → repository@digest, sorted by service. */
export function imagesJson(records: readonly DigestRecord[]): string {
  return JSON.stringify(Object.fromEntries(records.map((r) => [r.service, `${r.image}@${r.digest}`])));
}

/**
 * Parses the images JSON a deploy receives (`--images`): service → repository@sha256:…, for every
 * service in `known` and no other. Nothing is deployed by tag when one is missing or malformed.
 */
export function parseImages(json: string, known: readonly string[]): Record<string, ImageByDigest> {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw new Error(`--images is not JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error('--images must be a JSON object, service → repository@sha256:…');
  }
  const out: Record<string, ImageByDigest> = {};
  for (const [service, ref] of Object.entries(v as Record<string, unknown>)) {
    if (!known.includes(service)) {
      throw new Error(`--images names an unknown service "${service}" (known: ${known.join(', ')})`);
    }
    const m = typeof ref === 'string' ? IMAGE_BY_DIGEST.exec(ref) : null;
    if (!m) throw new Error(`--images ${service}: not repository@sha256:<64 hex>: ${JSON.stringify(ref)}`);
    out[service] = { repository: m[1] as string, digest: m[2] as string };
  }
  const missing = known.filter((s) => !(s in out));
  if (missing.length) {
    throw new Error(`--images has no image for ${missing.join(', ')}: a service would be deployed by tag`);
  }
  return out;
}
