// For the release tests on the real node: namespaces whose every pod runs there, `kubectl
// port-forward` to a Service (loopback only), and a shopper who checks out through the storefront
// over HTTP (cart cookie, checkout form), as a browser would.
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../../src/cluster/command';
import { REAL_NODE_NAMESPACE_ANNOTATIONS } from '../../src/cluster/real-node/layout';
import { requireTool } from '../../src/tools/paths';
import { clusterEnv, kubectl, restrictedNamespace } from './helpers';

/** A restricted namespace whose pods (hooks and `helm test` pods too) all go to the real node. */
export async function realNodeNamespace(name: string): Promise<string> {
  await restrictedNamespace(name);
  await kubectl().must([
    'annotate',
    'namespace',
    name,
    '--overwrite',
    ...Object.entries(REAL_NODE_NAMESPACE_ANNOTATIONS).map(([k, v]) => `${k}=${v}`),
  ]);
  return name;
}

export interface PortForward {
  /** http://127.0.0.1:<local port> */
  url: string;
  stop(): void;
}

/**
 * `kubectl port-forward <target> :<port>` (target `svc/<name>` or `pod/<name>`): through the API
 * server and the kubelet into a pod.
 */
export async function portForward(namespace: string, target: string, port: number): Promise<PortForward> {
  const child: ChildProcess = spawn(
    requireTool('kubectl'),
    ['port-forward', '-n', namespace, target, `:${port}`, '--address', '127.0.0.1'],
    { env: clusterEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  const local = await waitFor(
    `kubectl port-forward ${target}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`kubectl port-forward exited: ${output}`);
      return /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  ).catch((e: Error) => {
    child.kill();
    throw e;
  });
  return { url: `http://127.0.0.1:${local}`, stop: () => child.kill() };
}

/** Runs `use` with port-forwards to the given targets, stopping them however it ends. */
export async function withPortForwards<T>(
  namespace: string,
  targets: { target: string; port: number }[],
  use: (urls: string[]) => Promise<T>,
): Promise<T> {
  const forwards: PortForward[] = [];
  try {
    for (const t of targets) forwards.push(await portForward(namespace, t.target, t.port));
    return await use(forwards.map((f) => f.url));
  } finally {
    for (const f of forwards) f.stop();
  }
}

/** The port a Service of the release exposes (its first). */
export async function servicePort(namespace: string, service: string): Promise<number> {
  const svc = await kubectl().json<{ spec: { ports: { port: number }[] } }>([
    'get',
    'service',
    service,
    '-n',
    namespace,
  ]);
  return svc.spec.ports[0]?.port as number;
}

export interface Product {
  id: string;
  name: string;
  stock: number;
  priceMinor: number;
}

export async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** Products with stock, from product-api's list (the storefront shows the same catalog). */
export async function productsInStock(productApi: string): Promise<Product[]> {
  const list = await getJson<{ items: Product[] }>(`${productApi}/products?limit=50`);
  return list.items.filter((p) => p.stock > 0);
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** The cart cookie(s) a response set, as a Cookie header value. */
function cookiesOf(r: Response, jar: Map<string, string>): void {
  for (const c of r.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const [k, v] = (pair ?? '').split('=');
    if (k) jar.set(k.trim(), (v ?? '').trim());
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

export interface CheckoutResult {
  status: number;
  /** The order id from the redirect to /orders/<id>?placed=1, when one was placed. */
  orderId?: string;
  location?: string;
}

/** Adds `quantity` of a product to a fresh cart and checks out, through the storefront only. */
export async function checkout(storefront: string, productId: string, quantity = 1): Promise<CheckoutResult> {
  const jar = new Map<string, string>();
  const post = async (path: string, fields: Record<string, string>) => {
    const r = await fetch(`${storefront}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
      body: form(fields),
      signal: AbortSignal.timeout(15_000),
    });
    cookiesOf(r, jar);
    await r.arrayBuffer();
    return r;
  };
  const added = await post('/cart/items', { productId, quantity: String(quantity) });
  if (added.status !== 303 || !/notice=added/.test(added.headers.get('location') ?? '')) {
    return { status: added.status, location: added.headers.get('location') ?? undefined };
  }
  const placed = await post('/checkout', {
    name: 'Release Test',
    email: 'release-test@example.com',
    line1: 'Teststraat 1',
    postalCode: '1011 AB',
    city: 'Amsterdam',
    country: 'NL',
    idempotencyKey: crypto.randomUUID(),
  });
  const location = placed.headers.get('location') ?? undefined;
  const orderId = /^\/orders\/([^?]+)\?placed=1$/.exec(location ?? '')?.[1];
  return { status: placed.status, location, orderId: orderId ? decodeURIComponent(orderId) : undefined };
}

/** http://<ClusterIP>:<port> of a Service: from the host through kube-proxy's rules, never off the machine. */
export async function serviceUrl(namespace: string, service: string): Promise<string> {
  const svc = await kubectl().json<{ spec: { clusterIP: string; ports: { port: number }[] } }>([
    'get',
    'service',
    service,
    '-n',
    namespace,
  ]);
  return `http://${svc.spec.clusterIP}:${svc.spec.ports[0]?.port}`;
}

export interface LoadResult {
  ok: number;
  failed: number;
  /** The first few failures (status or error), to say what went wrong. */
  failures: string[];
}

/**
 * A bounded load: `concurrency` loops calling `request` until `until()` says stop (checked before
 * each request). A request fails when it throws or resolves anything but true.
 */
export async function boundedLoad(
  request: () => Promise<boolean | string>,
  o: { concurrency: number; until: () => Promise<boolean> | boolean },
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, failures: [] };
  const fail = (why: string) => {
    result.failed++;
    if (result.failures.length < 10) result.failures.push(why);
  };
  const worker = async () => {
    while (!(await o.until())) {
      try {
        const r = await request();
        if (r === true) result.ok++;
        else fail(r === false ? 'refused' : r);
      } catch (e) {
        fail(e instanceof Error ? `${e.message}${e.cause ? ` (${String(e.cause)})` : ''}` : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return result;
}
