// `npm run images -- build [--only product-api,postgresql]`: builds the project's container images
// here with buildah and podman (see docs/development.md, "Images"); cached by content, so a
// second run with nothing changed takes seconds. Prints one line per image: name, ref, archive.
import { ensureImages, IMAGE_NAMES, type ImageName, imageSize, isImageName } from './index';

const USAGE = `usage: npm run images -- build [--only name,name]

Builds the container images with buildah/podman (no Docker needed) and saves each as an OCI
archive for containerd. Names: ${IMAGE_NAMES.join(', ')} (default: all).
Service images are tagged by a hash of their build inputs and rebuilt only when those change.`;

function parseOnly(argv: string[]): ImageName[] | undefined {
  const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (i < 0) return undefined;
  const arg = argv[i] as string;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  const names = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !isImageName(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes image names (${IMAGE_NAMES.join(', ')}); got ${value ?? 'nothing'}`);
  }
  return names as ImageName[];
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (argv[0] !== 'build') {
    console.error(`images: unknown command ${argv[0] ?? '(none)'}\n${USAGE}`);
    return 2;
  }
  const started = Date.now();
  const images = await ensureImages({ only: parseOnly(argv.slice(1)) });
  for (const i of images) {
    const mb = (imageSize(i.ref) / 1e6).toFixed(0);
    console.log(`${i.name} ${i.built ? 'built' : 'cached'} ${i.ref} ${mb} MB ${i.archive}`);
  }
  console.log(`images: ${images.length} ready in ${Math.round((Date.now() - started) / 1000)}s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`images: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
