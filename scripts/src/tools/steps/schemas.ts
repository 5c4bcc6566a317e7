// Local schemas for kubeconform, generated here because it would otherwise fetch them from
// GitHub: Kubernetes kinds from the swagger.json inside the k8s.io/kubernetes module zip, and
// the CRDs of prometheus-operator and CloudNativePG from their module zips (the CRD manifests are
// kept for the cluster). Each CRD step owns its API groups' folders of the shared crds folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { modDownload } from '../go';
import { versions } from '../manifest';
import { cloudnativePgCrdDir, kubeconformSchemaDir, prometheusOperatorCrdDir } from '../paths';
import { crdSchemas } from '../schemas/crd';
import { kubernetesSchemas as convertSwagger, type SchemaFile, type Swagger } from '../schemas/openapi';
import type { Step } from '../tool';

/** The converters are build inputs: changing one regenerates the schemas. */
function converterHash(): string {
  const dir = path.join(__dirname, '..', 'schemas');
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 16);
}

function writeAll(dir: string, files: SchemaFile[]): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const { file, schema } of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(schema));
  }
}

const variants = [
  { suffix: '', strict: false },
  { suffix: '-strict', strict: true },
];

const k8sDir = (suffix: string) =>
  path.join(kubeconformSchemaDir(), `${versions.kubernetes}-standalone${suffix}`);

export const kubernetesSchemas: Step = {
  name: 'kubernetes-schemas',
  version: versions.kubernetes,
  bins: [],
  verb: 'generated',
  inputs: () => ({ converter: converterHash() }),
  probes: [],
  check() {
    const missing = variants
      .map((v) => path.join(k8sDir(v.suffix), 'deployment-apps-v1.json'))
      .filter((f) => !fs.existsSync(f));
    return missing.length ? `missing ${missing.join(', ')}` : undefined;
  },
  install(ctx) {
    const mod = modDownload(ctx, this.name, `k8s.io/kubernetes@${this.version}`);
    const swagger = JSON.parse(
      fs.readFileSync(path.join(mod.Dir, 'api', 'openapi-spec', 'swagger.json'), 'utf8'),
    ) as Swagger;
    for (const v of variants) writeAll(k8sDir(v.suffix), convertSwagger(swagger, { strict: v.strict }));
  },
};

const crdDir = (suffix: string) => path.join(kubeconformSchemaDir(), `crds${suffix}`);
const CRD_FOLDER = path.join('example', 'prometheus-operator-crd');

/** Replaces the schema folders of the API groups in `files` only: other steps own the others. */
function writeGroups(dir: string, files: SchemaFile[]): void {
  for (const group of new Set(files.map((f) => f.file.split('/')[0] as string)))
    fs.rmSync(path.join(dir, group), { recursive: true, force: true });
  for (const { file, schema } of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(schema));
  }
}

/**
 * Copies a module's CRD manifests out of the read-only module cache (so the cluster scripts can
 * apply them) and writes their kubeconform schemas. Returns nothing; throws on an empty folder.
 */
function installCrds(src: string, dest: string): void {
  const manifests = fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  if (manifests.length === 0) throw new Error(`no CRD manifests in ${src}`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const docs: unknown[] = [];
  for (const f of manifests) {
    fs.copyFileSync(path.join(src, f), path.join(dest, f));
    fs.chmodSync(path.join(dest, f), 0o644);
    docs.push(...YAML.parseAllDocuments(fs.readFileSync(path.join(src, f), 'utf8')).map((d) => d.toJS()));
  }
  const crds = docs.filter((d) => d && (d as { kind?: string }).kind === 'CustomResourceDefinition');
  for (const v of variants)
    writeGroups(
      crdDir(v.suffix),
      crds.flatMap((d) => crdSchemas(d, v.strict)),
    );
}

export const prometheusOperatorCrds: Step = {
  name: 'prometheus-operator-crds',
  version: versions.prometheusOperator,
  bins: [],
  verb: 'generated',
  inputs: () => ({ converter: converterHash(), folder: CRD_FOLDER }),
  probes: [],
  check() {
    const want = [
      path.join(prometheusOperatorCrdDir(), 'monitoring.coreos.com_servicemonitors.yaml'),
      ...variants.map((v) => path.join(crdDir(v.suffix), 'monitoring.coreos.com', 'servicemonitor_v1.json')),
    ];
    const missing = want.filter((f) => !fs.existsSync(f));
    return missing.length ? `missing ${missing.join(', ')}` : undefined;
  },
  install(ctx) {
    const mod = modDownload(
      ctx,
      this.name,
      `github.com/prometheus-operator/prometheus-operator@${this.version}`,
    );
    installCrds(path.join(mod.Dir, CRD_FOLDER), prometheusOperatorCrdDir());
  },
};

const CNPG_CRD_FOLDER = path.join('config', 'crd', 'bases');

export const cloudnativePgCrds: Step = {
  name: 'cloudnative-pg-crds',
  version: versions.cloudnativePg,
  bins: [],
  verb: 'generated',
  inputs: () => ({ converter: converterHash(), folder: CNPG_CRD_FOLDER }),
  probes: [],
  check() {
    const want = [
      path.join(cloudnativePgCrdDir(), 'postgresql.cnpg.io_clusters.yaml'),
      ...variants.flatMap((v) =>
        ['cluster_v1.json', 'pooler_v1.json'].map((f) =>
          path.join(crdDir(v.suffix), 'postgresql.cnpg.io', f),
        ),
      ),
    ];
    const missing = want.filter((f) => !fs.existsSync(f));
    return missing.length ? `missing ${missing.join(', ')}` : undefined;
  },
  install(ctx) {
    const mod = modDownload(ctx, this.name, `github.com/cloudnative-pg/cloudnative-pg@${this.version}`);
    installCrds(path.join(mod.Dir, CNPG_CRD_FOLDER), cloudnativePgCrdDir());
  },
};
