import { groupLength, groupStart } from '../store/chunkGroups.ts';
import { chunkCount } from './chunkMath.ts';

/** A run of chunks to keep as one stored value: `first..first + count - 1`. */
export interface ChunkGroup {
  first: number;
  count: number;
}

/**
 * The groups (`chunkGroups.ts`) that a read of chunks `from..to` touched and that are stored
 * whole: every chunk of the group, the media's last group ending at its last chunk. Pure.
 */
export function groupsToMerge(
  media: { size: number; chunkSize: number },
  from: number,
  to: number,
  isStored: (index: number) => boolean,
): ChunkGroup[] {
  const length = groupLength(media.chunkSize);
  if (length < 2) return [];
  const lastChunk = chunkCount(media.size, media.chunkSize) - 1;
  const out: ChunkGroup[] = [];
  for (let first = groupStart(from, media.chunkSize); first <= to; first += length) {
    const last = Math.min(first + length - 1, lastChunk);
    let whole = last > first;
    for (let i = first; whole && i <= last; i++) whole = isStored(i);
    if (whole) out.push({ first, count: last - first + 1 });
  }
  return out;
}
