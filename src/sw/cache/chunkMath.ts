/** Chunk arithmetic for a media of `size` bytes cut into chunks of `chunkSize` bytes. Pure. */

/** How many chunks a media of `size` bytes has (0 for an empty media). */
export function chunkCount(size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize);
}

/** Byte range `[start, end]` (inclusive) of chunk `index`. */
export function chunkBounds(
  index: number,
  size: number,
  chunkSize: number,
): { start: number; end: number } {
  const start = index * chunkSize;
  return { start, end: Math.min(start + chunkSize, size) - 1 };
}

/** Length in bytes of chunk `index` (the last chunk may be short). */
export function chunkLength(index: number, size: number, chunkSize: number): number {
  const { start, end } = chunkBounds(index, size, chunkSize);
  return end - start + 1;
}

/** Index of the chunk holding byte `offset`. */
export function chunkIndexOf(offset: number, chunkSize: number): number {
  return Math.floor(offset / chunkSize);
}
