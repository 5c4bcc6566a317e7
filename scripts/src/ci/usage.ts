// The commands of `npm run pipeline` (scripts/src/ci/main.ts), one line each; tests read the names
// from here to check that every workflow step calls a command that exists.
export const USAGE = `usage: npm run pipeline -- <command> [options]
  tools [all|NAME,NAME]              npm run tools (all, or --only the names); its bin folder on $GITHUB_PATH
  test-group GROUP                   npm test -- --selectProjects <the group's jest projects>
  changed-charts [--base-branch B]   charts to lint/install: changed since origin/B plus their dependents
                                     (all when B is empty or not given); outputs lint, install, any
  chart-lint [--charts LIST]         ct lint with helm unittest per chart (all charts without --charts)
  chart-install [--charts LIST] [--upgrade-from BRANCH]
                                     ct install (--upgrade from BRANCH's version first), library charts left out
  crds                               the toolchain's prometheus-operator CRDs on the current cluster
  kind-load --cluster NAME --archives "A B"
                                     kind load image-archive (GitHub only: needs kind and Docker)
  record-digest --service S --image REPO --digest D --dir DIR
                                     one image's digest as DIR/S.json (an artifact of the image job)
  digests --dir DIR                  every service's image by digest as the output images (JSON) and a summary table
  image-ref --service S --prefix P   output ref: the image the service chart defaults to (P/S:<appVersion>)
  push-image --archive TAR --image REPO
                                     copies the scanned archive to the registry under the tags of
                                     GITHUB_REF/GITHUB_SHA (skopeo; GitHub only); output digest
  verify-images --images JSON
                                     gh attestation verify: provenance and SBOM of each image (GitHub only)
  secret-scan                        gitleaks over the whole git history (reviewed exceptions: security/gitleaksignore)
  write-kubeconfig                   KUBE_CONFIG_B64 (base64) → $RUNNER_TEMP/kubeconfig, KUBECONFIG via $GITHUB_ENV
  remove-kubeconfig                  deletes that file (a deploy job's last step)
  chart-publish --ref REF --repository oci://HOST/PATH
                                     helm package + helm push on a release tag; outputs name, version, digest`;

/** Command names, in the order of USAGE. */
export const COMMANDS = [...USAGE.matchAll(/^ {2}([a-z][a-z-]+)(?= |$)/gm)].map((m) => m[1] as string);
