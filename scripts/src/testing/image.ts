// What a service's container image does, without a Docker engine (none on this machine): the
// Dockerfile's own install and build commands run in scratch folders laid out like its stages,
// then the production install is started as the image starts it — as the Dockerfile's non-root
// uid (when the tests run as root), from files nobody can write, with NODE_ENV=production.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

export interface Dockerfile {
  text: string;
  /** From the last FROM on. */
  finalStage: string;
  /** USER uid of the final stage. */
  uid: number;
  /** The RUN commands the simulation executes. */
  buildInstall: string;
  prodInstall: string;
  compile: string;
}

export function readDockerfile(service: string): Dockerfile {
  const text = fs.readFileSync(path.join(root, 'services', service, 'Dockerfile'), 'utf8');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const runs = [...text.matchAll(/^RUN (npm ci .*|npx tsc .*)$/gm)].map((m) => m[1]!);
  const pick = (what: string, f: (l: string) => boolean) => {
    const line = runs.find(f);
    if (!line) throw new Error(`services/${service}/Dockerfile has no RUN line for the ${what}`);
    return line;
  };
  const user = /^USER ([0-9]+):/m.exec(finalStage);
  if (!user) throw new Error(`services/${service}/Dockerfile: the final stage has no numeric USER`);
  return {
    text,
    finalStage,
    uid: Number(user[1]),
    buildInstall: pick('build install', (l) => l.startsWith('npm ci') && !l.includes('--omit=dev')),
    prodInstall: pick('production install', (l) => l.includes('--omit=dev')),
    compile: pick('compile', (l) => l.startsWith('npx tsc')),
  };
}

export interface SimulatedImage {
  dockerfile: Dockerfile;
  /** The final stage's /app. */
  app: string;
  /** A writable folder beside it for config and secret files (made read-only by start()). */
  scratch: string;
  start(o: { env: Record<string, string>; files?: string[] }): ChildProcess;
  remove(): void;
}

/** Builds services/<service> as its Dockerfile would (workspace dependencies: runtime). */
export function buildSimulatedImage(service: string): SimulatedImage {
  const dockerfile = readDockerfile(service);
  const sh = (cmd: string, cwd: string) => execFileSync('sh', ['-c', cmd], { cwd, stdio: 'pipe' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `tc-image-${service}-`));
  const build = path.join(scratch, 'build');
  const app = path.join(scratch, 'app');
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
  sh(`${dockerfile.buildInstall} --prefer-offline`, build);
  fs.copyFileSync(path.join(root, 'tsconfig.base.json'), path.join(build, 'tsconfig.base.json'));
  for (const svc of ['runtime', service]) {
    fs.cpSync(path.join(root, 'services', svc), path.join(build, 'services', svc), {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|dist|test)$/.test(src),
    });
  }
  sh(dockerfile.compile, build);
  // Stage "prod-deps" and the final stage: production install, built output, source folders.
  sh(`${dockerfile.prodInstall} --prefer-offline`, app);
  for (const dir of ['services/runtime/dist', `services/${service}/dist`]) {
    fs.cpSync(path.join(build, dir), path.join(app, dir), { recursive: true });
  }
  // Folders the final stage copies from the service's source (migrations/, public/, …).
  const copied = new RegExp(`^COPY services/${service}/([A-Za-z0-9._-]+) `, 'gm');
  for (const [, dir] of dockerfile.finalStage.matchAll(copied)) {
    fs.cpSync(path.join(root, 'services', service, dir!), path.join(app, 'services', service, dir!), {
      recursive: true,
    });
  }
  fs.rmSync(build, { recursive: true, force: true });

  return {
    dockerfile,
    app,
    scratch,
    start({ env, files = [] }) {
      // Read-only for everyone, as with readOnlyRootFilesystem (the service user owns nothing).
      execFileSync('chmod', ['-R', 'a-w,a+rX', app]);
      fs.chmodSync(scratch, 0o755);
      for (const f of files) fs.chmodSync(f, 0o444);
      const asRoot = process.getuid?.() === 0;
      return spawn(process.execPath, ['dist/main.js'], {
        cwd: path.join(app, 'services', service),
        env: { NODE_ENV: 'production', HOME: '/tmp', PATH: '/usr/bin:/bin', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asRoot ? { uid: dockerfile.uid, gid: dockerfile.uid } : {}),
      });
    },
    remove() {
      execFileSync('chmod', ['-R', 'u+w', scratch]);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
