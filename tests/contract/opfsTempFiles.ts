/**
 * Files named like `OpfsChunkStore` temp files (`<index>.<uuid>.tmp`) anywhere under OPFS
 * directory `rootName`, or under the whole origin's OPFS when omitted. After every write has
 * settled there must be none: a finished, refused or failed write removes its own, and opening a
 * store removes those of writes cut off by a crash.
 */
export async function countOpfsTempFiles(rootName?: string): Promise<number> {
  const top = await navigator.storage.getDirectory();
  return walk(rootName === undefined ? top : await top.getDirectoryHandle(rootName));
}

async function walk(dir: FileSystemDirectoryHandle): Promise<number> {
  let count = 0;
  for await (const [name, handle] of dir.entries()) {
    if (handle instanceof FileSystemDirectoryHandle) count += await walk(handle);
    else if (name.endsWith('.tmp')) count += 1;
  }
  return count;
}
