/**
 * The Origin Private File System cannot back a `ChunkStore` here: `navigator.storage.getDirectory`,
 * `FileSystemFileHandle.createWritable` or `FileSystemHandle.move` is missing, or the browser
 * refused the directory (Firefox private windows do). Callers fall back to IndexedDB.
 */
export class OpfsUnavailableError extends Error {
  override readonly name = 'OpfsUnavailableError';
}
