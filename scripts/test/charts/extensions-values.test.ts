// The extension points' mistakes as `npm run values` reports them (the values toolkit's validate,
// the same schema Helm checks: fixtures/bad-values has Helm's side), and what it accepts: every
// extension at once, and a parent chart's own global keys.
import path from 'node:path';
import { loadChart } from '../../src/values/chart';
import { formatPath } from '../../src/values/problems';
import { validate } from '../../src/values/validate';
import { chartsDir, repoRoot, UMBRELLA } from './helpers';

const chart = loadChart(path.join(chartsDir, UMBRELLA), `charts/${UMBRELLA}`);

function errors(file: string): string[] {
  const abs = path.join(repoRoot, file);
  return validate({ chart, files: [{ path: abs, display: file }] })
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${formatPath(f.path)}: ${f.message}`);
}

describe('npm run values on the extension points', () => {
  it('accepts every extension point at once (fixtures/extensions/values.yaml)', () => {
    expect(errors('scripts/test/charts/fixtures/extensions/values.yaml')).toEqual([]);
  });

  it.each([
    ['sidecar-without-image.yaml', /^product-api\.extraContainers\[0\]/],
    ['extra-env-typo.yaml', /^frontend\.extraEnv\[0\]\.valu/],
    ['extra-volume-two-sources.yaml', /^order-api\.extraVolumes\[0\]/],
    ['extra-object-without-kind.yaml', /^extraObjects\[0\]/],
    ['global-registry-not-a-host.yaml', /^global\.imageRegistry/],
  ])('rejects %s, naming the key', (file, key) => {
    const found = errors(`scripts/test/charts/fixtures/bad-values/${file}`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((e) => key.test(e))).toBe(true);
  });
});
