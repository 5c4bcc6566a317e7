// Values files with one mistake each (fixtures/bad-values): plain `helm template` of the umbrella
// must fail and name the offending key. The expected messages are in each file's `# expect:` lines
// (regular expressions), next to the mistake they describe.
import fs from 'node:fs';
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
