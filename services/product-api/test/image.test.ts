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

  test('simulated image (no Docker engine): production install of the built output starts read-only as the image user and gets ready', async () => {
    const uid = Number(/^USER ([0-9]+):/m.exec(finalStage)![1]);
    const asRoot = process.getuid?.() === 0;
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'services/product-api'], {
      cwd: root,
    });

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-image-'));
    const app = path.join(scratch, 'app');
    try {
      // Stage "manifests" + "prod-deps": every workspace manifest and the lock, production install.
      const manifests = ['package.json', 'package-lock.json', 'scripts/package.json'].concat(
        fs
          .readdirSync(path.join(root, 'services'))
          .map((s) => `services/${s}/package.json`)
          .filter((f) => fs.existsSync(path.join(root, f))),
      );
      for (const f of manifests) {
        fs.mkdirSync(path.dirname(path.join(app, f)), { recursive: true });
        fs.copyFileSync(path.join(root, f), path.join(app, f));
      }
      execFileSync(
        'npm',
        [
          'ci',
          '--omit=dev',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--prefer-offline',
          '-w',
          '@techcommerce/product-api',
        ],
        { cwd: app, stdio: 'pipe' },
      );
      // Final stage: the built output and the migrations.
      for (const dir of [
        'services/runtime/dist',
        'services/product-api/dist',
        'services/product-api/migrations',
      ]) {
        fs.cpSync(path.join(root, dir), path.join(app, dir), { recursive: true });
      }
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
  }, 120_000);
});
