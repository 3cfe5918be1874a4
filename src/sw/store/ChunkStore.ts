import type { StoredAs, Validation } from '../../shared/types.ts';

export type { StoredAs };

/** Which backend holds the chunks. */
export type StoreKind = 'indexeddb' | 'opfs';

/**
 * What is known about one media: where it came from, what its content is, and its place in the
 * LRU order. Immutable: every change writes a new object (`putMedia`, `touch`, `setPinned`).
 *
 * Vocabulary (used the same way everywhere): a *media* is one upstream resource under its
 * *cache key*; it is cut into fixed-size *chunks* (the last may be short) stored at their index;
 * a *version* names one content of the media — it grows each time the upstream content under the
 * key was found changed, and every chunk write says which version its bytes belong to.
 */
export interface MediaMeta {
  /** Cache key (default: the upstream URL). */
  key: string;
  /** The upstream URL it was last fetched from. */
  url: string;
  size: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Fixed for the life of a version: stored chunks are positional. */
  chunkSize: number;
  validation: Validation;
  /** Content version (≥ 1); see above. */
  version: number;
  /** ms since epoch of the last read or write; drives LRU order. */
  lastAccess: number;
  /** Pinned media are never evicted. */
  pinned: boolean;
}

/** One stored chunk as a listing shows it. */
export interface StoredChunk {
  key: string;
  index: number;
  /** Its length in bytes, as really stored. */
  size: number;
}

/**
 * The storage port: where media metadata and chunk bytes live, and nothing else — no budget, no
 * LRU choice, no judgement of whether two contents are the same (that is `MediaCache`'s).
 *
 * Contract every backend keeps (proven by the shared suite in `tests/contract/`):
 * - a chunk is visible (`getChunk`, `listChunks`) only once all its bytes are written; a write
 *   interrupted by a crash leaves nothing readable under its index (at most an orphan that
 *   `MediaCache` removes on open);
 * - writes of different chunks, of one media or of many, may run concurrently and never lose
 *   each other's bytes;
 * - `putChunk` refuses (storing nothing) when the media has no metadata or its current version is
 *   not the one the bytes were downloaded for, so bytes of an old content never land under a new
 *   one;
 * - a chunk and the metadata need not change in one atomic step: `MediaCache` rebuilds which
 *   chunks are stored from `listChunks` when it opens, as media3's SimpleCache rebuilds its index
 *   from its files.
 */
export interface ChunkStore {
  readonly kind: StoreKind;
  /** How chunk bytes are kept now (a backend may switch once, see `StoredAs`). */
  readonly storedAs: StoredAs;
  /**
   * Whether a Blob read from here (`getChunk`, `getSpan`) stays readable once its chunks are
   * removed. Where it does not, a response streaming such a Blob keeps its chunks from eviction
   * until it ends (see `serveParallel`).
   */
  readonly blobsOutliveRemoval: boolean;
  getMedia(key: string): Promise<MediaMeta | undefined>;
  /** Every media's metadata (unordered). */
  listMedia(): Promise<MediaMeta[]>;
  /**
   * Create or replace a media's metadata. Its chunks are not touched, except that when the
   * version changes a backend may drop the old version's chunks (OPFS removes their directory;
   * `MediaCache` deletes them before a new version anyway).
   */
  putMedia(meta: MediaMeta): Promise<void>;
  /** Remove a media's metadata and every chunk of it. */
  deleteMedia(key: string): Promise<void>;
  /** Record an access time (no-op for an unknown key). */
  touch(key: string, at: number): Promise<void>;
  /** Pin or unpin (no-op for an unknown key). */
  setPinned(key: string, pinned: boolean): Promise<void>;
  /** The bytes of chunk `index`, or undefined when it is not stored. */
  getChunk(key: string, index: number): Promise<Blob | undefined>;
  /**
   * Chunks `from..to` (inclusive) back to back as one Blob, in one read; null unless every one of
   * them is stored.
   */
  getSpan(key: string, from: number, to: number): Promise<Blob | null>;
  /**
   * Store chunk `index` of version `version` of `key` (replacing one already there). Rejects
   * with a `StaleWriteError` when the media is unknown or at another version.
   */
  putChunk(key: string, version: number, index: number, data: Blob): Promise<void>;
  /** Remove chunk `index` (no-op when absent). */
  deleteChunk(key: string, index: number): Promise<void>;
  /**
   * Remove chunks `indexes` of `key` (absent ones count as removed); resolves with the indexes
   * removed. A chunk that could not be removed (its merged value could not be split, a file
   * could not be deleted) is left out instead of failing the others.
   */
  deleteChunks(key: string, indexes: number[]): Promise<number[]>;
  /**
   * Optional: keep chunks `first..first + count - 1` of version `version` of `key` as one stored
   * value from now on, where a backend reads fewer, larger values faster (IndexedDB). Every
   * other method goes on seeing separate chunks: reading, listing, replacing or deleting one of
   * them works as before (a delete or a replacement splits the value again). Resolves whether
   * it merged; refuses (false, nothing changed) unless all of them are stored, full-length but
   * the media's last, at that version.
   */
  mergeChunks?(key: string, version: number, first: number, count: number): Promise<boolean>;
  /** Every stored chunk of `key`, or of every media when `key` is omitted (unordered). */
  listChunks(key?: string): Promise<StoredChunk[]>;
  /** Release the backend's handles (the store is not used afterwards). */
  close(): void;
}
