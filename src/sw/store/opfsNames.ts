/**
 * How `OpfsChunkStore` names things on disk. Layout under the store's root directory:
 *
 * ```text
 * <root>/<sha256-hex of the cache key>/meta.json          the media's MediaMeta
 * <root>/<sha256-hex of the cache key>/v<version>/<index> one complete chunk
 * <root>/<sha256-hex of the cache key>/v<version>/<index>.<uuid>.tmp  a chunk being written
 * ```
 */

/** The media's metadata file inside its directory. */
export const META_FILE = 'meta.json';

const TEMP_SUFFIX = '.tmp';

/**
 * The directory name of a media: the hex SHA-256 of its cache key. Keys are arbitrary strings
 * (long URLs with queries, '/', '..', unicode) and OPFS names forbid '/', '.', '..' and have
 * length limits; a digest is always a valid, fixed-length name.
 */
export async function mediaDirName(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The directory holding the chunks of one content version. */
export function versionDirName(version: number): string {
  return `v${version}`;
}

/** The version a directory name stands for, or null when it is not a version directory. */
export function parseVersionDirName(name: string): number | null {
  const match = /^v([1-9]\d*)$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** The final name of chunk `index`. */
export function chunkFileName(index: number): string {
  return String(index);
}

/** The chunk index a final file name stands for, or null (temp files and anything else). */
export function parseChunkFileName(name: string): number | null {
  return /^(0|[1-9]\d*)$/.test(name) ? Number(name) : null;
}

/**
 * A fresh temporary name for a write of chunk `index`: unique, so two writes of the same chunk
 * never share (and never lose) a file.
 */
export function tempChunkName(index: number): string {
  return `${index}.${crypto.randomUUID()}${TEMP_SUFFIX}`;
}

/** True for the name of a chunk write that never reached its rename. */
export function isTempName(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX);
}
