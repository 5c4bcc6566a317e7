// `helm test` smoke test: GET every URL in SMOKE_URLS (space-separated, each service's /readyz)
// and exit 1 naming each one that did not answer 200 within SMOKE_TIMEOUT_MS after
// SMOKE_ATTEMPTS tries. Runs with `node -e` in the frontend image: Node built-ins only.
'use strict';
const urls = (process.env.SMOKE_URLS || '').split(/\s+/).filter(Boolean);
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS || 5000);
const attempts = Number(process.env.SMOKE_ATTEMPTS || 3);
const retryDelayMs = Number(process.env.SMOKE_RETRY_DELAY_MS || 1000);

if (urls.length === 0) {
  console.error('smoke-test: SMOKE_URLS is empty: nothing to check');
  process.exit(2);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function probe(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.text()).replace(/\s+/g, ' ').slice(0, 200);
    return res.status === 200 ? null : `HTTP ${res.status} ${body}`;
  } catch (err) {
    const cause = err && err.cause ? ` (${err.cause.code || err.cause.message})` : '';
    return err && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${err.message}${cause}`;
  }
}

async function check(url) {
  let failure = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    failure = await probe(url);
    if (failure === null) return { url, ok: true, detail: `200 after ${attempt} attempt(s)` };
    if (attempt < attempts) await sleep(retryDelayMs);
  }
  return { url, ok: false, detail: failure };
}

Promise.all(urls.map(check)).then((results) => {
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.url}: ${r.detail}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`smoke-test: ${results.length - failed} of ${results.length} services ready`);
  process.exit(failed === 0 ? 0 : 1);
});
