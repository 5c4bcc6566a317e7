// Values files with one mistake each (fixtures/bad-values): plain `helm template` of the umbrella
// must fail and name the offending key. The expected messages are in each file's `# expect:` lines
// (regular expressions), next to the mistake they describe.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HELMS, runTool } from './helpers';

const dir = path.join(__dirname, 'fixtures', 'bad-values');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const expects = [...text.matchAll(/^# expect: (.+)$/gm)].map((m) => m[1] as string);
    return { file, expects };
  });

describe.each(HELMS)('$label template rejects bad values', ({ bin }) => {
  it('has fixtures that each say what they expect', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
    for (const f of fixtures) expect(`${f.file}: ${f.expects.length}`).not.toBe(`${f.file}: 0`);
  });

  it.each(fixtures)('$file', ({ file, expects }) => {
    const r = runTool(bin, ['template', 'shop', 'charts/techcommerce', '-f', path.join(dir, file)]);
    expect(r.status).not.toBe(0);
    for (const pattern of expects) expect(r.stderr).toMatch(new RegExp(pattern));
  });
});

// `helm lint` checks the umbrella's values file against the umbrella's own schema before any
// subchart default is merged ("values.yaml:" findings): with the subcharts' schemas embedded
// there, a deep typo is found by that check alone, while a partial block (whose required keys
// come from the subchart's defaults) still passes.
describe.each(HELMS)('$label lint --strict checks subchart keys with the umbrella schema', ({ bin }) => {
  const lint = (file: string) =>
    runTool(bin, ['lint', '--strict', 'charts/techcommerce', '-f', 'values/staging.yaml', '-f', file]);

  it('rejects a typo deep under a subchart key in the values file check', () => {
    const r = lint(path.join(dir, 'umbrella-deep-typo.yaml'));
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(
      /\[ERROR\] values\.yaml:[^[]*\/product-api\/config\/database': additional properties 'sslmode' not allowed/,
    );
  });

  it('accepts a partial subchart block whose required keys come from the subchart defaults', () => {
    const partial = path.join(os.tmpdir(), `partial-${process.pid}-${bin}.yaml`);
    fs.writeFileSync(partial, 'product-api:\n  resources:\n    requests:\n      cpu: 300m\n');
    try {
      const r = lint(partial);
      expect(`${r.stdout}${r.stderr}`).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(partial, { force: true });
    }
  });
});
