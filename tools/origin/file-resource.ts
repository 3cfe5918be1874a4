/**
 * `/files/<name>`: representations backed by files under a root directory.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Resource } from './resource.ts';

export type FileLookup =
  | { kind: 'found'; resource: Resource }
  /** The name points outside the root (path traversal): refuse with 403. */
  | { kind: 'forbidden' }
  | { kind: 'missing' };

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** Byte transform of changeAfter for files: XOR keeps the size and is trivially checkable. */
const CHANGE_MASK = 0x5a;

export function contentTypeFor(name: string): string {
  return CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

function isInside(root: string, target: string): boolean {
  return target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

async function* readFile(file: string, start: number, end: number, version: number) {
  if (end <= start) return;
  // createReadStream's `end` is inclusive.
  const stream = createReadStream(file, { start, end: end - 1, highWaterMark: 64 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (version === 0) {
      yield chunk;
      continue;
    }
    const changed = Buffer.allocUnsafe(chunk.length);
    for (let i = 0; i < chunk.length; i++) changed[i] = (chunk[i] ?? 0) ^ CHANGE_MASK;
    yield changed;
  }
}

/**
 * Resolve the percent-encoded `encodedName` (may contain `/` for subdirectories) under `root`.
 * The URL parser already removed `.`/`..` segments, but encoded separators (`..%2F`) survive
 * it, so containment is checked on the decoded path and again after resolving symlinks.
 */
export async function lookupFile(
  root: string,
  encodedName: string,
  version: number,
): Promise<FileLookup> {
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    return { kind: 'missing' };
  }
  if (name === '' || name.includes('\0')) return { kind: 'missing' };
  const rootPath = path.resolve(root);
  if (!isInside(rootPath, path.resolve(rootPath, name))) return { kind: 'forbidden' };
  let file: string;
  try {
    file = await realpath(path.resolve(rootPath, name));
    if (!isInside(await realpath(rootPath), file)) return { kind: 'forbidden' };
  } catch {
    return { kind: 'missing' };
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return { kind: 'missing' };
  const mtime = Math.floor(info.mtimeMs);
  const resource: Resource = {
    size: info.size,
    etag: `"${info.size}-${mtime}-${version}"`,
    // HTTP-dates have one-second resolution (RFC 9110 §5.6.7); a changed version moves it on.
    lastModified: new Date(Math.floor(mtime / 1000) * 1000 + version * 1000).toUTCString(),
    contentType: contentTypeFor(name),
    read: (start, end) => readFile(file, start, end, version),
  };
  return { kind: 'found', resource };
}
