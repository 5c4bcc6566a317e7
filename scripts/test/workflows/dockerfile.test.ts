// services/Dockerfile, the one image build of every service (SERVICE build argument), and its
// ignore file: what the final stage is, what the build context holds, that a wrong SERVICE stops
// the build, and that the parts CI relies on (Dependabot, shellcheck) can read it. The real images
// are built and run by the images project (scripts/test/images).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  DOCKERFILE,
  ignoreRules,
  isIgnored,
  parseDockerfile,
  readDockerfile,
} from '../../src/images/dockerfile';
import { versions } from '../../src/tools/manifest';
import { requireTool, toolEnv } from '../../src/tools/paths';
import { repoRoot, type Json } from './helpers';

const SERVICES = ['frontend', 'order-api', 'product-api'];
const d = readDockerfile();
const finalArgs = (keyword: string) =>
  d.final.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('services/Dockerfile', () => {
  test('is the only Dockerfile of the services (no per-service copies)', () => {
    const perService = fs
      .readdirSync(path.join(repoRoot, 'services'))
      .flatMap((s) =>
        ['Dockerfile', 'Dockerfile.dockerignore', '.dockerignore'].map((f) => `services/${s}/${f}`),
      )
      .filter((f) => fs.existsSync(path.join(repoRoot, f)));
    expect(perService).toEqual([]);
  });

  test('builds on ARG BASE_IMAGE, by default the upstream stage: node slim pinned by version and digest in a literal FROM (Dependabot reads no ARG)', () => {
    expect(d.globalArgs.map((a) => a.args)).toEqual(['BASE_IMAGE=upstream']);
    const external = d.stages.filter((s) => !d.stages.some((o) => o.name === s.base));
    expect(external.map((s) => [s.name, s.base])).toEqual([
      ['upstream', expect.stringMatching(/^node:\d+\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/)],
      ['base', '${BASE_IMAGE}'],
    ]);
    // The local base image (npm run tools) carries the same Node version as the upstream tag.
    expect(external[0]!.base).toContain(`node:${versions.nodeImage}-`);
    // Everything else builds on the base stage, never on the upstream stage directly.
    expect(d.stages.filter((s) => s.base === 'upstream')).toEqual([]);
    expect(d.stages.length).toBeGreaterThanOrEqual(5);
  });

  test('final stage: NODE_ENV=production, numeric non-root USER, node dist/main.js, no npm, every file copied from a build stage', () => {
    expect(finalArgs('ENV')).toContain('NODE_ENV=production');
    const [user] = finalArgs('USER');
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(finalArgs('CMD')).toEqual(['["node", "dist/main.js"]']);
    // The only RUN removes the package manager; nothing else runs at image build time there.
    expect(finalArgs('RUN')).toHaveLength(1);
    expect(finalArgs('RUN')[0]).toMatch(/^rm -rf .*\/usr\/local\/bin\/npm .*\/usr\/local\/bin\/npx/);
    // Everything comes from a build stage, never straight from the build context.
    expect(finalArgs('COPY').every((a) => a.startsWith('--from='))).toBe(true);
    expect(finalArgs('WORKDIR').pop()).toBe('/app/services/${SERVICE}');
  });

  test('every stage that uses SERVICE declares it (an undeclared ARG is empty in that stage)', () => {
    for (const s of d.stages) {
      const uses = s.instructions.findIndex((i) => i.keyword !== 'ARG' && /\$\{?SERVICE\b/.test(i.args));
      if (uses < 0) continue;
      const declared = s.instructions.findIndex((i) => i.keyword === 'ARG' && i.args === 'SERVICE');
      expect({ stage: s.name, declaredBeforeUse: declared >= 0 && declared < uses }).toEqual({
        stage: s.name,
        declaredBeforeUse: true,
      });
    }
  });

  test('every RUN passes shellcheck (sh, as /bin/sh -c runs it)', () => {
    const runs = d.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN'));
    expect(runs.length).toBeGreaterThanOrEqual(5);
    for (const r of runs) {
      const out = spawnSync(requireTool('shellcheck'), ['--shell=sh', '--severity=info', '-'], {
        // RUN's own flags (--mount=…) are Dockerfile syntax, not shell.
        input: `${r.args.replace(/^(--\S+\s+)+/, '')}\n`,
        env: toolEnv(),
        encoding: 'utf8',
      });
      expect({ line: r.line, out: out.stdout + out.stderr, status: out.status }).toEqual({
        line: r.line,
        out: '',
        status: 0,
      });
    }
  });

  test('the build context keeps out what the image must not hold or need', () => {
    const rules = ignoreRules(d.ignoreText);
    const kept = [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'scripts/package.json', // a workspace: npm ci needs every workspace manifest
      'services/runtime/src/index.ts',
      'services/frontend/public/styles.css',
      'services/product-api/migrations/001_products.sql',
    ];
    const out = [
      'node_modules/typescript/package.json',
      'services/runtime/node_modules/ajv/package.json',
      'services/product-api/dist/main.js',
      'services/runtime/dist/.tsbuildinfo',
      'services/order-api/test/api.test.ts',
      'scripts/src/tools/main.ts',
      '.git/HEAD',
      '.env',
      'charts/common/Chart.yaml',
      'values/production.yaml',
      'README.md',
    ];
    expect(kept.filter((p) => isIgnored(rules, p))).toEqual([]);
    expect(out.filter((p) => !isIgnored(rules, p))).toEqual([]);
  });

  test('Dependabot watches the folder of the Dockerfile for base image updates', () => {
    const config = parse(fs.readFileSync(path.join(repoRoot, '.github/dependabot.yml'), 'utf8')) as {
      updates: Json[];
    };
    const docker = config.updates.filter((u) => u['package-ecosystem'] === 'docker');
    expect(docker).toHaveLength(1);
    expect(docker[0]!.directory).toBe(`/${path.posix.dirname(DOCKERFILE)}`);
  });

  test('the services the workflows build are the ones the Dockerfile accepts', () => {
    const accepted = fs.readdirSync(path.join(repoRoot, 'services')).filter((s) => {
      const manifest = path.join(repoRoot, 'services', s, 'package.json');
      return (
        fs.existsSync(manifest) &&
        (JSON.parse(fs.readFileSync(manifest, 'utf8')) as Json).main === 'dist/main.js'
      );
    });
    expect(accepted.sort()).toEqual(SERVICES);
  });
});

describe('services/Dockerfile is read as Docker reads it', () => {
  test('continuation lines join, comment lines inside them drop out, stages take their AS names', () => {
    const { globalArgs, stages } = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG X=1',
        'FROM node:1.2.3-slim AS base',
        'FROM base AS build',
        'RUN a \\',
        '# a comment in the middle',
        ' && b',
        'FROM base',
        'CMD ["node", "x.js"]',
      ].join('\n'),
    );
    expect(globalArgs.map((a) => a.args)).toEqual(['X=1']);
    expect(stages.map((s) => [s.name, s.base])).toEqual([
      ['base', 'node:1.2.3-slim'],
      ['build', 'base'],
      ['2', 'base'],
    ]);
    expect(stages[1]!.instructions).toEqual([{ keyword: 'RUN', args: 'a   && b', line: 5 }]);
  });

  test('ignore rules: the last match wins, a folder rule covers its files, ! brings a file back', () => {
    const rules = ignoreRules('**/dist\nscripts/**\n!scripts/package.json\n*.md\n');
    expect(isIgnored(rules, 'services/x/dist/a/b.js')).toBe(true);
    expect(isIgnored(rules, 'dist')).toBe(true);
    expect(isIgnored(rules, 'scripts/package.json')).toBe(false);
    expect(isIgnored(rules, 'scripts/src/a.ts')).toBe(true);
    expect(isIgnored(rules, 'README.md')).toBe(true);
    expect(isIgnored(rules, 'docs/README.md')).toBe(false); // *.md is anchored at the root
    expect(isIgnored(rules, 'services/x/src/distance.ts')).toBe(false);
  });
});
