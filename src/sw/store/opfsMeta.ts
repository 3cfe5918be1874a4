import type { MediaMeta } from './ChunkStore.ts';
import { fileIfPresent, writeWholeFile } from './opfsFiles.ts';
import { META_FILE } from './opfsNames.ts';

/**
 * The metadata stored in a media directory, or undefined when there is none. A `meta.json` that
 * does not parse as a media counts as none: it is written through a writable's swap file, so it is
 * never torn by a crash; only outside tampering makes one unreadable.
 */
export async function readMeta(
  mediaDir: FileSystemDirectoryHandle,
): Promise<MediaMeta | undefined> {
  const file = await fileIfPresent(mediaDir, META_FILE);
  if (!file) return undefined;
  try {
    const meta: unknown = JSON.parse(await file.text());
    return isMediaMeta(meta) ? meta : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replace the metadata of a media. Callers serialise these per media (see `KeyedQueue`): two
 * writables on one file lose data.
 */
export async function writeMeta(
  mediaDir: FileSystemDirectoryHandle,
  meta: MediaMeta,
): Promise<void> {
  const handle = await mediaDir.getFileHandle(META_FILE, { create: true });
  await writeWholeFile(handle, JSON.stringify(meta));
}

/** Enough of a shape check that the store can rely on `key` and `version`. */
function isMediaMeta(value: unknown): value is MediaMeta {
  if (typeof value !== 'object' || value === null) return false;
  const { key, version } = value as Partial<Record<keyof MediaMeta, unknown>>;
  return typeof key === 'string' && typeof version === 'number' && Number.isInteger(version);
}
