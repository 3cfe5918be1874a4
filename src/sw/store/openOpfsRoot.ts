import { OpfsUnavailableError } from './OpfsUnavailableError.ts';
import { canRenameFiles } from './opfsFiles.ts';

/**
 * The directory `rootName` at the top of this origin's private file system (created if needed,
 * unless `create` is false: then a missing one rejects with `NotFoundError`).
 * Rejects with `OpfsUnavailableError` when the store could not work here: it needs
 * `getDirectory()`, asynchronous writables (`createWritable`; service workers have no sync
 * access handles) and `move()` to make a chunk visible only once complete.
 */
export async function openOpfsRoot(
  rootName: string,
  create = true,
): Promise<FileSystemDirectoryHandle> {
  if (typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') {
    throw new OpfsUnavailableError('OPFS is missing: no navigator.storage.getDirectory()');
  }
  if (
    typeof FileSystemFileHandle === 'undefined' ||
    !('createWritable' in FileSystemFileHandle.prototype)
  ) {
    throw new OpfsUnavailableError(
      'OPFS cannot write here: no FileSystemFileHandle.createWritable()',
    );
  }
  if (!canRenameFiles()) {
    throw new OpfsUnavailableError('OPFS cannot rename here: no FileSystemFileHandle.move()');
  }
  let origin: FileSystemDirectoryHandle;
  try {
    origin = await navigator.storage.getDirectory();
  } catch (error) {
    // Firefox private windows reject with SecurityError.
    throw new OpfsUnavailableError(`OPFS refused: ${String(error)}`, { cause: error });
  }
  return origin.getDirectoryHandle(rootName, { create });
}
