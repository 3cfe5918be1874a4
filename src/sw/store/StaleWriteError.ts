/**
 * A chunk write refused by the store: the media is unknown, or its content moved to another
 * version while the bytes were downloading (see `ChunkStore.putChunk`). Nothing was stored.
 */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';

  constructor(
    readonly key: string,
    /** The version the bytes were downloaded for. */
    readonly version: number,
    /** The media's version now, or null when it has no metadata. */
    readonly current: number | null,
  ) {
    super(
      current === null
        ? `no media ${key}: chunk of version ${version} not stored`
        : `media ${key} is at version ${current}: chunk of version ${version} not stored`,
    );
  }
}
