/**
 * Maps a request path to a resource: `/files/<name>` (disk) or `/synthetic/<bytes>` (generated).
 */
import { type FileLookup, lookupFile } from './file-resource.ts';
import { parseSyntheticSize, syntheticResource } from './synthetic-resource.ts';

const FILES = '/files/';
const SYNTHETIC = '/synthetic/';

/** True when `path` belongs to one of the resource routes (whether or not it exists). */
export function isResourcePath(path: string): boolean {
  return path.startsWith(FILES) || path.startsWith(SYNTHETIC);
}

/** `seed` query parameter: a safe integer, default 0 (invalid values fall back to 0). */
export function parseSeed(raw: string | null): number {
  if (raw === null || !/^-?\d{1,16}$/.test(raw)) return 0;
  const seed = Number(raw);
  return Number.isSafeInteger(seed) ? seed : 0;
}

/**
 * @param version 0 normally, 1 after the changeAfter knob triggered for this path
 */
export async function findResource(
  root: string,
  path: string,
  query: URLSearchParams,
  version: number,
): Promise<FileLookup> {
  if (path.startsWith(FILES)) return lookupFile(root, path.slice(FILES.length), version);
  if (path.startsWith(SYNTHETIC)) {
    const size = parseSyntheticSize(path.slice(SYNTHETIC.length));
    if (size === null) return { kind: 'missing' };
    const resource = syntheticResource(size, parseSeed(query.get('seed')), version);
    return { kind: 'found', resource };
  }
  return { kind: 'missing' };
}
