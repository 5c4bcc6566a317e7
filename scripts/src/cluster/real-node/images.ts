// The images the real node runs, built here (scripts/src/images, buildah/podman) and imported
// into its containerd. Service images are tagged by content; each also gets the stable tag
// `local` that values/local-cluster.yaml names, re-pointed at every import.
import { ensureImages } from '../../images';
import type { ImageArchive } from './real-node';

export const LOCAL_TAG = 'local';

/** Builds what is missing or stale (seconds when nothing changed) and lists the archives. */
export async function localClusterImages(log: (line: string) => void): Promise<ImageArchive[]> {
  const images = await ensureImages({ log });
  return images.map((i) => ({
    ref: i.ref,
    archive: i.archive,
    alias: `${i.ref.slice(0, i.ref.lastIndexOf(':'))}:${LOCAL_TAG}`,
  }));
}
