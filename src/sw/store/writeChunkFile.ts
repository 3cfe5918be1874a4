import { isDomError, removeIfPresent, renameFile, writeWholeFile } from './opfsFiles.ts';
import { chunkFileName, tempChunkName } from './opfsNames.ts';

/**
 * Write `data` as chunk `index` in `versionDir` so that it becomes visible only complete: the
 * bytes go to a fresh temp file, which is closed and then renamed to the chunk's name (replacing
 * a chunk already there in one step). `publish` is given the rename to run: it may check first
 * and throw to give up (the version moved on), and must not run two renames onto one chunk at
 * once (Chromium locks the target of a `move()`: a second one fails with
 * `NoModificationAllowedError`, measured). On any failure the temp file is removed and the error
 * is rethrown unchanged (a `QuotaExceededError` keeps its name); a removed `versionDir` rejects
 * with `NotFoundError`.
 */
export async function writeChunkFile(
  versionDir: FileSystemDirectoryHandle,
  index: number,
  data: Blob,
  publish: (rename: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const tempName = tempChunkName(index);
  try {
    const temp = await versionDir.getFileHandle(tempName, { create: true });
    // The Blob is written as it is: the browser copies its bytes into the file, none pass
    // through the worker (a chunk read natively never enters JavaScript at all).
    await writeWholeFile(temp, data).catch(async (error: unknown) => {
      throw (await destinationRefused(error, data))
        ? new DOMException(
            `chunk write refused (${(error as Error).message})`,
            'QuotaExceededError',
          )
        : error;
    });
    await publish(() => renameFile(temp, chunkFileName(index)));
  } catch (error) {
    // Best effort: a temp file left behind is invisible and `recoverOpfsRoot` removes it.
    await removeIfPresent(versionDir, tempName).catch(() => undefined);
    throw error;
  }
}

/**
 * True when a failed write of `data` was the destination refusing it. Past the quota, Chromium 156
 * fails an OPFS write as `QuotaExceededError`, `NotReadableError` or `AbortError` ("Failed to write
 * data to data pipe"), varying from run to run (measured with a 1 MiB quota override). The last two
 * also mean a source Blob that cannot be read (a `File` of a chunk replaced since): reading a byte
 * of it says which. Reported by the one name the cache acts on.
 */
async function destinationRefused(error: unknown, data: Blob): Promise<boolean> {
  if (!isDomError(error, 'NotReadableError', 'AbortError')) return false;
  return data
    .slice(0, 1)
    .arrayBuffer()
    .then(
      () => true,
      () => false,
    );
}

/** True when a chunk write failed because its directory is gone. */
export function isDirectoryGone(error: unknown): boolean {
  return isDomError(error, 'NotFoundError');
}
