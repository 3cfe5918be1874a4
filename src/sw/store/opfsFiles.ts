/**
 * Small helpers over the File System API as Chromium ships it to service workers: lookups that
 * answer `undefined` instead of throwing for a missing entry, whole-file writes, and renames.
 */

/** `FileSystemHandle.move()`: shipped by Chromium for OPFS, not (yet) in TypeScript's lib. */
interface MovableFileHandle extends FileSystemFileHandle {
  move(newName: string): Promise<void>;
}

/** True when `error` is a DOMException with one of `names`. */
export function isDomError(error: unknown, ...names: string[]): boolean {
  return error instanceof DOMException && names.includes(error.name);
}

/** True when this browser's file handles can be renamed (`move()`). */
export function canRenameFiles(): boolean {
  return typeof FileSystemFileHandle !== 'undefined' && 'move' in FileSystemFileHandle.prototype;
}

/**
 * Rename `handle` within its directory. Measured in Chromium 156: an existing file of that name
 * is replaced in one step (readers see the old or the new file, never neither), but a target with
 * an open writable makes it fail with `NoModificationAllowedError`; a removed directory makes it
 * fail with `NotFoundError`.
 */
export function renameFile(handle: FileSystemFileHandle, newName: string): Promise<void> {
  return (handle as MovableFileHandle).move(newName);
}

/** The sub-directory `name` of `parent`, or undefined when there is none. */
export async function childDirectory(
  parent: FileSystemDirectoryHandle,
  name: string,
): Promise<FileSystemDirectoryHandle | undefined> {
  try {
    return await parent.getDirectoryHandle(name);
  } catch (error) {
    if (isDomError(error, 'NotFoundError', 'TypeMismatchError')) return undefined;
    throw error;
  }
}

/**
 * The current contents of file `name` in `parent`, or undefined when there is none (also when it
 * disappears between the lookup and the read).
 */
export async function fileIfPresent(
  parent: FileSystemDirectoryHandle,
  name: string,
): Promise<File | undefined> {
  try {
    return await (await parent.getFileHandle(name)).getFile();
  } catch (error) {
    if (isDomError(error, 'NotFoundError', 'TypeMismatchError')) return undefined;
    throw error;
  }
}

/**
 * The size of the file behind `handle`, or undefined when it was removed meanwhile. Reads the
 * handle a listing gave: a second lookup by name would double the cost of listing (each call is a
 * round trip to the browser process).
 */
export async function sizeOf(handle: FileSystemFileHandle): Promise<number | undefined> {
  try {
    return (await handle.getFile()).size;
  } catch (error) {
    if (isDomError(error, 'NotFoundError')) return undefined;
    throw error;
  }
}

/** Remove entry `name` of `parent` (a directory with all it holds when `recursive`); absent is fine. */
export async function removeIfPresent(
  parent: FileSystemDirectoryHandle,
  name: string,
  recursive = false,
): Promise<void> {
  try {
    await parent.removeEntry(name, { recursive });
  } catch (error) {
    if (!isDomError(error, 'NotFoundError')) throw error;
  }
}

/**
 * Replace the whole contents of `handle` with `data` through a fresh writable (no
 * `keepExistingData`: that copies the old file first, README "Platform facts"). The browser stages the bytes
 * in a swap file and swaps it in on `close()`, so the file is never seen half-written. A failed
 * write (`QuotaExceededError` is measured to come from `write()`) rejects with that error.
 */
export async function writeWholeFile(
  handle: FileSystemFileHandle,
  data: Blob | ArrayBuffer | string,
): Promise<void> {
  const writable = await handle.createWritable();
  try {
    await writable.write(data);
  } catch (error) {
    // The stream is errored now; abort() drops the swap file. Its own failure (and close()'s
    // "Cannot close an ERRORED writable stream") would only hide the real cause.
    await writable.abort().catch(() => undefined);
    throw error;
  }
  await writable.close();
}
