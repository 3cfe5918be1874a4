import type { StoredChunk } from './ChunkStore.ts';
import { sizeOf } from './opfsFiles.ts';
import { parseChunkFileName } from './opfsNames.ts';

/**
 * The complete chunks in `versionDir` (files with a chunk's final name; temp files are skipped)
 * with their real sizes, as chunks of `key`. The sizes are read in parallel, one `getFile()`
 * per chunk: the cost of a listing grows with the chunk count (~140 ms for 1000 measured).
 */
export async function listChunkFiles(
  versionDir: FileSystemDirectoryHandle,
  key: string,
): Promise<StoredChunk[]> {
  const found: Promise<StoredChunk | undefined>[] = [];
  for await (const [name, handle] of versionDir.entries()) {
    const index = parseChunkFileName(name);
    if (index === null || !(handle instanceof FileSystemFileHandle)) continue;
    // A chunk removed between the listing and the read is simply not listed.
    found.push(
      sizeOf(handle).then((size) => (size === undefined ? undefined : { key, index, size })),
    );
  }
  return (await Promise.all(found)).filter((c) => c !== undefined);
}
