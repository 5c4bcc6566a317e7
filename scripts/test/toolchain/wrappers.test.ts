import { godebugLines, goLine, stagingReplaces, wrapperGoMod } from '../../src/tools/wrappers';

// The shape of k8s.io/kubernetes' go.mod: staging modules required at v0.0.0 and replaced with
// ./staging paths, among ordinary requirements.
const kubernetesMod = `module k8s.io/kubernetes

go 1.24.0

godebug default=go1.24

require (
	github.com/spf13/cobra v1.9.1
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0
	k8s.io/klog/v2 v2.130.1
	k8s.io/utils v0.0.0-20250604170112-4c0f3b243397
)

require k8s.io/kms v0.0.0 // indirect

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/kms => ./staging/src/k8s.io/kms
	k8s.io/sample-controller => ./staging/src/k8s.io/sample-controller
)
`;

describe('stagingReplaces', () => {
  it('replaces exactly the k8s.io modules required at v0.0.0 with the published staging version', () => {
    expect(stagingReplaces(kubernetesMod, 'v0.34.4')).toEqual([
      'k8s.io/api => k8s.io/api v0.34.4',
      'k8s.io/client-go => k8s.io/client-go v0.34.4',
      'k8s.io/kms => k8s.io/kms v0.34.4',
    ]);
  });

  it('refuses a go.mod without staging requirements', () => {
    expect(() => stagingReplaces('module x\n\ngo 1.22\n', 'v0.34.4')).toThrow(/no k8s.io\/\* v0.0.0/);
  });
});

describe('wrapperGoMod', () => {
  it("carries the dependency's go and godebug lines, requirements and replaces", () => {
    const text = wrapperGoMod({
      module: 'techcommerce.local/kubernetes-wrapper',
      dependencyGoMod: kubernetesMod,
      requires: [{ path: 'k8s.io/kubernetes', version: 'v1.34.4' }],
      replaces: ['k8s.io/api => k8s.io/api v0.34.4'],
    });
    expect(text).toContain('module techcommerce.local/kubernetes-wrapper\n');
    expect(text).toContain('\ngo 1.24.0\ngodebug default=go1.24\n');
    expect(text).toContain('require (\n\tk8s.io/kubernetes v1.34.4\n)');
    expect(text).toContain('replace (\n\tk8s.io/api => k8s.io/api v0.34.4\n)');
  });

  it('reads godebug blocks and fails on a go.mod with no go line', () => {
    expect(godebugLines('godebug (\n\tdefault=go1.21\n\tpanicnil=1\n)\n')).toEqual([
      'godebug default=go1.21',
      'godebug panicnil=1',
    ]);
    expect(goLine('module a\ngo 1.26.0\n')).toBe('1.26.0');
    expect(() => goLine('module a\n')).toThrow(/no go line/);
  });
});
