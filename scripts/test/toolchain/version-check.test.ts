import { extractVersion, versionMatches, versionProblem } from '../../src/tools/version-check';

describe('extractVersion', () => {
  it.each([
    ['Kubernetes v1.34.4', '1.34.4'],
    ['Client Version: v1.34.4\nKustomize Version: v5.7.1', '1.34.4'],
    ['etcd Version: 3.6.16\nGit SHA: GitNotFound\nGo Version: go1.26.8', '3.6.16'],
    ['promtool, version 2.42.0+ds (branch: debian/sid)', '2.42.0+ds'],
    ['v3.22.0+g1a2b3c', '3.22.0+g1a2b3c'],
    ['yamllint 1.38.0', '1.38.0'],
    ['v1.2.3-rc.1', '1.2.3-rc.1'],
  ])('reads the version from %j', (output, version) => {
    expect(extractVersion(output)).toBe(version);
  });

  it('does not mistake a Go toolchain name for the tool version', () => {
    expect(extractVersion('/bin/untt: go1.26.8')).toBeUndefined();
  });
});

describe('versionMatches', () => {
  it('accepts the pinned release with or without "v" and with build metadata', () => {
    expect(versionMatches('1.34.4', 'v1.34.4')).toBe(true);
    expect(versionMatches('v3.22.0+gabc', 'v3.22.0')).toBe(true);
    expect(versionMatches('2.42.0+ds', '2.42.0')).toBe(true);
  });

  it('rejects another patch, a longer patch number, a pre-release, the unset v0.0.0 and nothing', () => {
    expect(versionMatches('1.34.3', 'v1.34.4')).toBe(false);
    expect(versionMatches('1.34.40', 'v1.34.4')).toBe(false);
    expect(versionMatches('1.34.4-rc.0', 'v1.34.4')).toBe(false);
    expect(versionMatches('0.0.0', 'v1.34.4')).toBe(false);
    expect(versionMatches(undefined, 'v1.34.4')).toBe(false);
  });
});

describe('versionProblem (the check that turns a stale binary into a rebuild)', () => {
  it('is undefined for the pinned version', () => {
    expect(versionProblem('Kubernetes v1.34.4', 'v1.34.4')).toBeUndefined();
  });

  it('names what was found, a silent binary, and one that does not run', () => {
    expect(versionProblem('Kubernetes v0.0.0-master+$Format:%H$', 'v1.34.4')).toBe(
      'reports 0.0.0-master, pinned 1.34.4',
    );
    expect(versionProblem('usage: tool [flags]', 'v1.0.0')).toBe('prints no version (pinned v1.0.0)');
    expect(versionProblem(undefined, 'v1.0.0')).toBe('does not run');
  });
});
