// The monitoring chart against the real thing: the three services as processes (embedded PGlite,
// product-api's test-only fault switch on), a real Prometheus (Debian 2.42) on loopback scraping
// their /metrics and evaluating our rendered rules. Static scrape targets stand in for the
// ServiceMonitors, with the target labels those give (app and part_of: discovery.test.ts checks
// the charts produce them; namespace, pod, job and container come from Kubernetes discovery). The
// rules are rendered with the test clocks of fixtures/live-values.yaml (20 s rate windows, 10 s
// `for:`), so an alert's life fits in about a minute; everything else is the chart's own.
import fs from 'node:fs';
import path from 'node:path';
import { metricNames } from '../../src/monitoring/promql';
import { renderChart, renderedDashboards, allPanels } from '../../src/monitoring/chart';
import { exportedNames } from '../../src/monitoring/exposition';
import { startPrometheus, type Alert, type RunningPrometheus } from '../../src/monitoring/prometheus';
import { renderRulesDir, RULE_FILE } from '../../src/monitoring/promtool';
import { freePort } from '../../src/testing/postgres';
import { EXTERNAL_METRICS } from './external-metrics';
import { SERVICES, startShop, type Shop } from './shop';
import { startTraffic, type Traffic } from './traffic';
import { usedMetrics } from './used-metrics';

jest.setTimeout(300_000);

const LIVE_VALUES = 'scripts/test/monitoring/fixtures/live-values.yaml';
const NAMESPACE = 'shop';
let shop: Shop;
let prometheus: RunningPrometheus;
let traffic: Traffic | undefined;
let rulesDir: string;
const started = Date.now();
const timeline: string[] = [];
const mark = (what: string) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);

beforeAll(async () => {
  rulesDir = renderRulesDir({ values: [LIVE_VALUES], namespace: NAMESPACE });
  shop = await startShop();
  mark('services ready');
  prometheus = await startPrometheus({
    port: await freePort(),
    ruleFile: path.join(rulesDir, RULE_FILE),
    scrapeInterval: '1s',
    evaluationInterval: '1s',
    targets: SERVICES.map((app) => ({
      job: `${NAMESPACE}-${app}`,
      address: `127.0.0.1:${shop.port(app)}`,
      labels: {
        namespace: NAMESPACE,
        app,
        part_of: 'techcommerce',
        pod: `${NAMESPACE}-${app}-5d8f7c9b6-live0`,
        container: app,
        service: `${NAMESPACE}-${app}`,
      },
    })),
  });
  mark('prometheus ready');
});

afterAll(async () => {
  await traffic?.stop();
  await prometheus?.stop();
  await shop?.stop();
  if (rulesDir) fs.rmSync(rulesDir, { recursive: true, force: true });
  console.log(`monitoring live test timeline:\n  ${timeline.join('\n  ')}`);
});

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${prometheus.log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const find = (alerts: Alert[], name: string, labels: Record<string, string>) =>
  alerts.find(
    (a) => a.labels.alertname === name && Object.entries(labels).every(([k, v]) => a.labels[k] === v),
  );

describe('live: every metric the rules and dashboards read exists', () => {
  let exported: Map<string, Set<string>>;

  beforeAll(async () => {
    exported = new Map();
    for (const s of SERVICES) {
      const res = await fetch(`${shop.url(s)}/metrics`);
      exported.set(s, exportedNames(await res.text()));
    }
  });

  it('is exported by a running service, recorded by our rules, or an allow-listed Prometheus/Kubernetes metric', () => {
    const { used, recorded } = usedMetrics();
    const ours = new Set([...exported.values()].flatMap((s) => [...s]));
    const unknown = [...used.keys()]
      .filter((n) => !ours.has(n) && !recorded.has(n) && !(n in EXTERNAL_METRICS))
      .map((n) => `${n} (used by ${used.get(n)!.slice(0, 3).join('; ')})`);
    expect(unknown).toEqual([]);
  });

  it('keeps the allow-list to names that are used and that no service exports', () => {
    const { used } = usedMetrics();
    const ours = new Set([...exported.values()].flatMap((s) => [...s]));
    expect(Object.keys(EXTERNAL_METRICS).filter((n) => !used.has(n))).toEqual([]);
    expect(Object.keys(EXTERNAL_METRICS).filter((n) => ours.has(n))).toEqual([]);
  });

  it('finds the RED histogram on every service', () => {
    for (const s of SERVICES)
      expect([s, exported.get(s)!.has('http_request_duration_seconds_bucket')]).toEqual([s, true]);
  });
});

describe('live: alerts in a real Prometheus (test clocks: 20 s windows, 10 s for)', () => {
  it('scrapes the three services', async () => {
    const targets = await until('all three targets up', 30_000, async () => {
      const t = await prometheus.targets();
      return t.length === 3 && t.every((x) => x.health === 'up') ? t : undefined;
    });
    expect(targets.map((t) => t.labels.app).sort()).toEqual([...SERVICES].sort());
    traffic = startTraffic(shop);
    mark('targets up, traffic started');
  });

  it('stays quiet on healthy traffic', async () => {
    // One full rate window of healthy traffic.
    await new Promise((r) => setTimeout(r, 22_000));
    const alerts = await prometheus.alerts();
    const red = alerts.filter((a) =>
      ['TechCommerceHighErrorRate', 'TechCommerceHighLatency', 'TechCommerceTargetDown'].includes(
        a.labels.alertname ?? '',
      ),
    );
    expect(red.map((a) => `${a.labels.alertname} ${a.labels.app} ${a.state}`)).toEqual([]);
    mark(`quiet after a window of healthy traffic (${JSON.stringify(traffic!.counts().byStatus)})`);
  });

  let pendingAt = 0;
  let firingAt = 0;
  let latencyFiring: Alert | undefined;
  let sloPage: Alert | undefined;
  let faultAt = 0;

  it('error-rate alert: pending, then firing, while product-api answers half its list requests 5xx', async () => {
    await shop.setFaults({ errorRatio: 0.5, latencyMs: 2100 });
    faultAt = Date.now();
    mark('fault on: 50% 5xx, 2.1 s latency on /products*');
    const firing = await until('TechCommerceHighErrorRate firing', 120_000, async () => {
      const alerts = await prometheus.alerts();
      const a = find(alerts, 'TechCommerceHighErrorRate', { app: 'product-api' });
      if (a?.state === 'pending' && !pendingAt) {
        pendingAt = Date.now();
        mark('error-rate alert pending');
      }
      latencyFiring ??= alerts.find(
        (x) =>
          x.labels.alertname === 'TechCommerceHighLatency' &&
          x.labels.app === 'product-api' &&
          x.state === 'firing',
      );
      sloPage ??= find(alerts, 'TechCommerceSLOAvailabilityBurn', { slo: 'product-list', burn: 'page' });
      return a?.state === 'firing' ? a : undefined;
    });
    firingAt = Date.now();
    mark('error-rate alert firing');
    // Seen pending first, and firing only once the condition had held for `for:` (10 s).
    expect(pendingAt).toBeGreaterThan(0);
    expect(firingAt - Date.parse(firing.activeAt)).toBeGreaterThanOrEqual(10_000);
    expect(firing.labels).toMatchObject({ severity: 'medium', namespace: NAMESPACE, app: 'product-api' });
    expect(firing.annotations.summary).toBe('product-api in shop answers more than 5% of requests with 5xx');
    expect(firing.annotations.runbook_url).toMatch(/\/docs\/runbooks\/TechCommerceHighErrorRate\.md$/);
    expect(Number(firing.value)).toBeGreaterThan(0.05);
  });

  it('latency alert: product-api p95 above 2 s fires too', async () => {
    latencyFiring ??= await until('TechCommerceHighLatency firing', 60_000, async () => {
      const a = find(await prometheus.alerts(), 'TechCommerceHighLatency', { app: 'product-api' });
      return a?.state === 'firing' ? a : undefined;
    });
    mark('latency alert firing');
    expect(latencyFiring.labels).toMatchObject({ severity: 'high', quantile: '0.95' });
    expect(Number(latencyFiring.value)).toBeGreaterThan(2);
  });

  it('SLO burn-rate rules match the real series: the product-list availability page fires (every window holds only this test, so the long windows burn like the short)', async () => {
    // The page needs its short and long windows both above the burn threshold; on a loaded
    // 2-core machine that lands ~30 s after the error-rate alert, so allow the fault to stay on longer.
    sloPage ??= await until('product-list availability page', 90_000, async () =>
      find(await prometheus.alerts(), 'TechCommerceSLOAvailabilityBurn', {
        slo: 'product-list',
        burn: 'page',
      }),
    );
    expect(sloPage.labels).toMatchObject({ severity: 'critical', sli: 'availability', namespace: NAMESPACE });
  });

  it('error-rate alert clears once the fault stops', async () => {
    await shop.setFaults({ errorRatio: 0, latencyMs: 0 });
    const off = Date.now();
    mark('fault off');
    await until('TechCommerceHighErrorRate gone', 90_000, async () =>
      find(await prometheus.alerts(), 'TechCommerceHighErrorRate', { app: 'product-api' }) ? undefined : true,
    );
    mark(
      `error-rate alert cleared ${((Date.now() - off) / 1000).toFixed(1)} s after the fault stopped; fault to firing ${((firingAt - faultAt) / 1000).toFixed(1)} s`,
    );
  });

  it('evaluates every rule without error and records series for every service', async () => {
    const groups = await prometheus.rules();
    const bad = groups.flatMap((g) =>
      g.rules
        .filter((r) => r.health !== 'ok')
        .map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`),
    );
    expect(bad).toEqual([]);
    for (const app of SERVICES) {
      const r = await prometheus.query(`app:http_requests:rate20s{namespace="${NAMESPACE}", app="${app}"}`);
      expect([app, r.length]).toEqual([app, 1]);
    }
    for (const slo of ['product-list', 'order-creation']) {
      const r = await prometheus.query(`slo:sli_error:ratio_rate5m{namespace="${NAMESPACE}", slo="${slo}"}`);
      expect([slo, r.map((x) => x.metric.sli).sort()]).toEqual([slo, ['availability', 'latency']]);
    }
    mark(`traffic by status: ${JSON.stringify(traffic!.counts().byStatus)}`);
  });

  it('runs every dashboard query without a PromQL error in the real Prometheus', async () => {
    const dashboards = renderedDashboards(renderChart({ namespace: NAMESPACE }));
    const errors: string[] = [];
    let withData = 0;
    let total = 0;
    for (const d of dashboards) {
      const app = /^red-(.+)\.json$/.exec(d.file)?.[1] ?? '';
      for (const p of allPanels(d.json)) {
        for (const t of p.targets ?? []) {
          const expr = (t.expr ?? '')
            .replaceAll('$__rate_interval', '20s')
            .replaceAll('$namespace', NAMESPACE)
            .replaceAll('$app', app)
            .replaceAll('$route', '.*');
          if (!expr) continue;
          metricNames(expr);
          total++;
          try {
            if ((await prometheus.query(expr)).length > 0) withData++;
          } catch (e) {
            errors.push(`${d.file} ${p.title}: ${(e as Error).message}`);
          }
        }
      }
    }
    mark(
      `dashboard queries: ${withData} of ${total} return data (kube-state-metrics and kubelet series do not exist here)`,
    );
    expect(errors).toEqual([]);
    expect(withData).toBeGreaterThan(total / 2);
  });
});
