import type { MediaMeta } from './ChunkStore.ts';
import { isDomError, removeIfPresent } from './opfsFiles.ts';
import { readMeta } from './opfsMeta.ts';
import { isTempName, parseVersionDirName } from './opfsNames.ts';

/**
 * Bring an `OpfsChunkStore` root back to a consistent state after any interruption (a crash, a
 * killed worker, a closed tab) and return the metadata of every media, by directory name:
 * - a media directory without readable metadata is removed (a `putMedia` interrupted before its
 *   metadata landed, or a `deleteMedia` interrupted after removing it);
 * - a version directory other than the metadata's is removed (a version change interrupted before
 *   the old version's chunks were removed);
 * - temp files are removed (chunk writes interrupted before their rename; never visible).
 *
 * An entry another live store still writes (Chromium then refuses the removal with
 * `NoModificationAllowedError`) is left for the next open: it is invisible either way.
 */
export async function recoverOpfsRoot(
  root: FileSystemDirectoryHandle,
): Promise<Map<string, MediaMeta>> {
  const metas = new Map<string, MediaMeta>();
  await Promise.all(
    (await directoriesOf(root)).map(async ([name, dir]) => {
      const meta = await recoverMedia(root, name, dir);
      if (meta) metas.set(name, meta);
    }),
  );
  return metas;
}

async function recoverMedia(
  root: FileSystemDirectoryHandle,
  name: string,
  dir: FileSystemDirectoryHandle,
): Promise<MediaMeta | undefined> {
  const meta = await readMeta(dir);
  if (!meta) {
    await unlessLocked(removeIfPresent(root, name, true));
    return undefined;
  }
  for (const [child, versionDir] of await directoriesOf(dir)) {
    if (parseVersionDirName(child) === meta.version) await removeTempFiles(versionDir);
    else await unlessLocked(removeIfPresent(dir, child, true));
  }
  return meta;
}

async function removeTempFiles(versionDir: FileSystemDirectoryHandle): Promise<void> {
  const temps: string[] = [];
  for await (const name of versionDir.keys()) if (isTempName(name)) temps.push(name);
  await Promise.all(temps.map((name) => unlessLocked(removeIfPresent(versionDir, name))));
}

/** The sub-directories of `dir`, listed before anything is removed (no removal mid-iteration). */
async function directoriesOf(
  dir: FileSystemDirectoryHandle,
): Promise<[string, FileSystemDirectoryHandle][]> {
  const out: [string, FileSystemDirectoryHandle][] = [];
  for await (const [name, handle] of dir.entries()) {
    if (handle instanceof FileSystemDirectoryHandle) out.push([name, handle]);
  }
  return out;
}

async function unlessLocked(removal: Promise<void>): Promise<void> {
  try {
    await removal;
  } catch (error) {
    if (!isDomError(error, 'NoModificationAllowedError')) throw error;
  }
}
