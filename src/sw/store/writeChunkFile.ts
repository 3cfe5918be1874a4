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
    // Past the quota, Chromium 156 fails an OPFS write as QuotaExceededError, NotReadableError
    // or AbortError ("Failed to write data to data pipe"), varying from run to run (measured with
    // a 1 MiB quota override). The bytes are read into memory first, so a failure of the write
    // itself is the destination refusing them: reported by the one name the cache acts on.
    const bytes = await data.arrayBuffer();
    await writeWholeFile(temp, bytes).catch((error: unknown) => {
      if (isDomError(error, 'NotReadableError') || isDomError(error, 'AbortError')) {
        throw new DOMException(
          `chunk write refused (${(error as Error).message})`,
          'QuotaExceededError',
        );
      }
      throw error;
    });
    await publish(() => renameFile(temp, chunkFileName(index)));
  } catch (error) {
    // Best effort: a temp file left behind is invisible and `recoverOpfsRoot` removes it.
    await removeIfPresent(versionDir, tempName).catch(() => undefined);
    throw error;
  }
}

/** True when a chunk write failed because its directory is gone. */
export function isDirectoryGone(error: unknown): boolean {
  return isDomError(error, 'NotFoundError');
}
