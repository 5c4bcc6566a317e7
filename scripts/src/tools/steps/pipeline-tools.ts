// Tools of the CI pipeline that run here too: gitleaks (secret scan of the git history, the same
// command as the GitHub job) and the CNCF distribution registry (a throwaway OCI registry on
// loopback: the chart is pushed to it and installed from oci://, like from GHCR).
import path from 'node:path';
import { goInstall, goVersion, ldflags } from '../go';
import { versions } from '../manifest';
import { link, type Step, toolDir } from '../tool';

const gitleaksFlags = ldflags({ 'github.com/zricethezav/gitleaks/v8/version.Version': versions.gitleaks });

export const gitleaks: Step = {
  name: 'gitleaks',
  version: versions.gitleaks,
  bins: ['gitleaks'],
  inputs: () => ({ go: goVersion(), flags: gitleaksFlags }),
  probes: [{ bin: 'gitleaks', args: ['version'] }],
  install(ctx) {
    const dir = toolDir(ctx, this);
    goInstall(ctx, this.name, [`github.com/zricethezav/gitleaks/v8@${this.version}`], dir, gitleaksFlags);
    link(ctx, 'gitleaks', path.join(dir, 'gitleaks'));
  },
};

const registryFlags = ldflags({
  'github.com/distribution/distribution/v3/version.version': versions.registry,
});

export const registry: Step = {
  name: 'registry',
  version: versions.registry,
  bins: ['registry'],
  inputs: () => ({ go: goVersion(), flags: registryFlags }),
  probes: [{ bin: 'registry', args: ['--version'] }],
  install(ctx) {
    const dir = toolDir(ctx, this);
    goInstall(
      ctx,
      this.name,
      [`github.com/distribution/distribution/v3/cmd/registry@${this.version}`],
      dir,
      registryFlags,
    );
    link(ctx, 'registry', path.join(dir, 'registry'));
  },
};
