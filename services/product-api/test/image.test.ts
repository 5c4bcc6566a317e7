// What the container image does, without a Docker engine (none on this machine): the same build,
// the same production-only install in a scratch folder, then the server started as the image
// starts it — as the Dockerfile's non-root uid, from files it cannot write, NODE_ENV=production.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freePort } from '../../../scripts/src/testing/postgres';
import { ADMIN_TOKEN, postgresSettings } from './helpers';

const root = path.resolve(__dirname, '../../..');
const dockerfile = fs.readFileSync(path.join(root, 'services/product-api/Dockerfile'), 'utf8');
const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

function getStatus(port: number, p: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

describe('product-api Dockerfile', () => {
  test('multi-stage; the final stage runs node dist/main.js as a numeric non-root user with NODE_ENV=production', () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/npm ci --omit=dev .*-w @techcommerce\/product-api/);
    expect(finalStage).toMatch(/^ENV NODE_ENV=production$/m);
    expect(finalStage).toMatch(/^USER [1-9][0-9]*:[1-9][0-9]*$/m);
    expect(finalStage).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(finalStage).not.toMatch(/^RUN npm/m);
    const ignore = fs.readFileSync(path.join(root, 'services/product-api/Dockerfile.dockerignore'), 'utf8');
    for (const p of ['**/node_modules', '**/dist', '.git', '.env']) expect(ignore.split('\n')).toContain(p);
  });

  test('simulated image (no Docker engine): the Dockerfile install and build commands, then the production install started read-only as the image user gets ready', async () => {
    const uid = Number(/^USER ([0-9]+):/m.exec(finalStage)![1]);
    const asRoot = process.getuid?.() === 0;
    // The Dockerfile's own commands, run in scratch folders laid out like its stages.
    const runLines = [...dockerfile.matchAll(/^RUN (npm ci .*|npx tsc .*)$/gm)].map((m) => m[1]!);
    const buildInstall = runLines.find((l) => l.startsWith('npm ci') && !l.includes('--omit=dev'))!;
    const prodInstall = runLines.find((l) => l.includes('--omit=dev'))!;
    const compile = runLines.find((l) => l.startsWith('npx tsc'))!;
    expect([buildInstall, prodInstall, compile].every(Boolean)).toBe(true);
    const sh = (cmd: string, cwd: string) => execFileSync('sh', ['-c', cmd], { cwd, stdio: 'pipe' });

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-image-'));
    const build = path.join(scratch, 'build');
    const app = path.join(scratch, 'app');
    try {
      // Stage "manifests": every workspace manifest and the lock.
      const manifests = ['package.json', 'package-lock.json', 'scripts/package.json'].concat(
        fs
          .readdirSync(path.join(root, 'services'))
          .map((s) => `services/${s}/package.json`)
          .filter((f) => fs.existsSync(path.join(root, f))),
      );
      for (const dir of [build, app]) {
        for (const f of manifests) {
          fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          fs.copyFileSync(path.join(root, f), path.join(dir, f));
        }
      }
      // Stage "build": full install, the sources, tsc.
      sh(`${buildInstall} --prefer-offline`, build);
      fs.copyFileSync(path.join(root, 'tsconfig.base.json'), path.join(build, 'tsconfig.base.json'));
      for (const svc of ['runtime', 'product-api']) {
        fs.cpSync(path.join(root, 'services', svc), path.join(build, 'services', svc), {
          recursive: true,
          filter: (src) => !/[/\\](node_modules|dist|test)$/.test(src),
        });
      }
      sh(compile, build);
      // Stage "prod-deps" and the final stage: production install, built output, migrations.
      sh(`${prodInstall} --prefer-offline`, app);
      for (const dir of ['services/runtime/dist', 'services/product-api/dist']) {
        fs.cpSync(path.join(build, dir), path.join(app, dir), { recursive: true });
      }
      fs.cpSync(
        path.join(root, 'services/product-api/migrations'),
        path.join(app, 'services/product-api/migrations'),
        {
          recursive: true,
        },
      );
      fs.rmSync(build, { recursive: true, force: true });
      for (const dev of ['typescript', 'jest', 'supertest', 'pino-http', '@swc/core', 'tsx']) {
        expect(fs.existsSync(path.join(app, 'node_modules', dev))).toBe(false);
      }
      const port = await freePort();
      const config = path.join(scratch, 'config.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          server: { port, drainDelaySeconds: 0 },
          database: { ...postgresSettings(await createTestDatabase('pa_image')), migrateOnStart: true },
        }),
      );
      const token = path.join(scratch, 'admin-token');
      fs.writeFileSync(token, `${ADMIN_TOKEN}\n`);
      // Read-only for everyone, as with readOnlyRootFilesystem (the service user owns nothing).
      execFileSync('chmod', ['-R', 'a-w,a+rX', app]);
      fs.chmodSync(scratch, 0o755);
      fs.chmodSync(config, 0o444);
      fs.chmodSync(token, 0o444);

      const started = Date.now();
      const proc = spawn(process.execPath, ['dist/main.js'], {
        cwd: path.join(app, 'services/product-api'),
        env: {
          NODE_ENV: 'production',
          CONFIG_FILE: config,
          ADMIN_TOKEN_FILE: token,
          HOME: '/tmp',
          PATH: '/usr/bin:/bin',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asRoot ? { uid, gid: uid } : {}),
      });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.stdout.resume();
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      try {
        let status = 0;
        while (Date.now() - started < 15_000 && status !== 200 && proc.exitCode === null) {
          await new Promise((r) => setTimeout(r, 100));
          status = await getStatus(port, '/readyz');
        }
        expect({ status, stderr }).toEqual({ status: 200, stderr: '' });
        expect(await getStatus(port, '/products?limit=3')).toBe(200);
        proc.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        proc.kill('SIGKILL');
      }
    } finally {
      execFileSync('chmod', ['-R', 'u+w', scratch]);
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 180_000);
});
