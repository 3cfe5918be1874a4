import type { ChunkStore, MediaMeta, StoredChunk } from './ChunkStore.ts';
import { KeyedQueue } from './KeyedQueue.ts';
import { listChunkFiles } from './listChunkFiles.ts';
import { openOpfsRoot } from './openOpfsRoot.ts';
import { childDirectory, fileIfPresent, removeIfPresent } from './opfsFiles.ts';
import { writeMeta } from './opfsMeta.ts';
import { chunkFileName, mediaDirName, parseVersionDirName, versionDirName } from './opfsNames.ts';
import { PendingWrites } from './PendingWrites.ts';
import { recoverOpfsRoot } from './recoverOpfsRoot.ts';
import { StaleWriteError } from './StaleWriteError.ts';
import { isDirectoryGone, writeChunkFile } from './writeChunkFile.ts';

/**
 * `ChunkStore` on the Origin Private File System, for service workers (which have no
 * `createSyncAccessHandle`). Layout in `opfsNames.ts`: one directory per media (named by the
 * SHA-256 of its key), its metadata in `meta.json`, one file per chunk under `v<version>/`.
 *
 * Why this shape:
 * - One file per chunk: two writables on one file lose data (the last `close()` wins) and
 *   `keepExistingData` copies the whole file per write (README "Platform facts"), so chunk writes never share
 *   a file and may run concurrently.
 * - A chunk is written under a temp name, closed, then renamed (`move()`, which replaces an
 *   existing chunk in one step): it becomes visible only complete. Leftover temp files of an
 *   interrupted write are removed by `open`.
 * - Chunks live in their version's directory and a write never creates that directory, so bytes
 *   downloaded for an old content cannot land among the new one's, even from a stale worker.
 * - Metadata is held in memory (loaded by `open`) and its file is rewritten one write at a time
 *   per media. One store instance per root at a time (the service worker's) is assumed.
 *
 * Unlike `IdbChunkStore`, `putMedia` with a new version drops the old version's chunks, and a
 * `File` from `getChunk` stops being readable (`NotReadableError`) once its chunk is replaced or
 * removed: a reader must treat that as a miss.
 */
export class OpfsChunkStore implements ChunkStore {
  readonly kind = 'opfs' as const;
  /** A `File` from `getFile()` stops being readable once its file is removed or replaced. */
  readonly blobsOutliveRemoval = false;
  readonly storedAs = 'file' as const;
  private readonly dirNames = new Map<string, Promise<string>>();
  private readonly metaWrites = new KeyedQueue();
  /** Renames onto and removals of one chunk file, one at a time (Chromium locks their target). */
  private readonly chunkChanges = new KeyedQueue();
  private readonly writes = new PendingWrites();
  private closed = false;

  private constructor(
    private readonly root: FileSystemDirectoryHandle,
    /** Every media's metadata by directory name: the truth for this instance. */
    private readonly metas: Map<string, MediaMeta>,
  ) {}

  /**
   * Open (creating) the store in OPFS directory `rootName`, removing what interrupted writes left.
   * Rejects with `OpfsUnavailableError` when OPFS cannot back a store here (fall back to IndexedDB).
   */
  static async open(rootName = 'chunkwise-opfs'): Promise<OpfsChunkStore> {
    const root = await openOpfsRoot(rootName);
    return new OpfsChunkStore(root, await recoverOpfsRoot(root));
  }

  /**
   * Open the store only if OPFS already holds one (`rootName` exists); null otherwise, creating
   * nothing — for a worker on another backend asking whether there is anything to migrate.
   */
  static async openExisting(rootName = 'chunkwise-opfs'): Promise<OpfsChunkStore | null> {
    const root = await openOpfsRoot(rootName, false).catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotFoundError') return null;
      throw error;
    });
    return root && new OpfsChunkStore(root, await recoverOpfsRoot(root));
  }

  async getMedia(key: string): Promise<MediaMeta | undefined> {
    return this.metas.get(await this.dirOf(key));
  }

  async listMedia(): Promise<MediaMeta[]> {
    this.assertOpen();
    return [...this.metas.values()];
  }

  async putMedia(meta: MediaMeta): Promise<void> {
    const name = await this.dirOf(meta.key);
    await this.metaWrites.run(name, async () => {
      const previous = this.metas.get(name);
      const dir = await this.root.getDirectoryHandle(name, { create: true });
      // The version directory exists before any metadata names that version.
      await dir.getDirectoryHandle(versionDirName(meta.version), { create: true });
      await writeMeta(dir, meta);
      this.metas.set(name, meta);
      if (previous?.version === meta.version) return;
      // Writes started under the old version give up at their rename (the version moved on);
      // wait for them so none still holds a file in a directory removed below.
      await this.writes.settled(name);
      for await (const child of dir.keys()) {
        const version = parseVersionDirName(child);
        if (version !== null && version !== meta.version) await removeIfPresent(dir, child, true);
      }
    });
  }

  async deleteMedia(key: string): Promise<void> {
    const name = await this.dirOf(key);
    await this.metaWrites.run(name, async () => {
      this.metas.delete(name); // refuses new chunk writes and makes running ones give up
      await this.writes.settled(name);
      await removeIfPresent(this.root, name, true);
    });
  }

  touch(key: string, at: number): Promise<void> {
    return this.update(key, (m) => ({ ...m, lastAccess: at }));
  }

  setPinned(key: string, pinned: boolean): Promise<void> {
    return this.update(key, (m) => ({ ...m, pinned }));
  }

  async getChunk(key: string, index: number): Promise<Blob | undefined> {
    const dir = await this.currentVersionDir(key);
    return dir && fileIfPresent(dir, chunkFileName(index));
  }

  async getSpan(key: string, from: number, to: number): Promise<Blob | null> {
    const dir = await this.currentVersionDir(key);
    if (!dir) return null;
    const indexes = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const files = await Promise.all(indexes.map((i) => fileIfPresent(dir, chunkFileName(i))));
    return files.every((f) => f !== undefined) ? new Blob(files) : null;
  }

  async putChunk(key: string, version: number, index: number, data: Blob): Promise<void> {
    const name = await this.dirOf(key);
    const write = this.writeChunk(name, key, version, index, data);
    this.writes.add(name, write);
    await write;
  }

  async deleteChunks(key: string, indexes: number[]): Promise<number[]> {
    const removed: number[] = [];
    for (const index of indexes) {
      try {
        await this.deleteChunk(key, index);
        removed.push(index);
      } catch {
        // left out: still stored (ChunkStore.deleteChunks)
      }
    }
    return removed;
  }

  async deleteChunk(key: string, index: number): Promise<void> {
    const name = await this.dirOf(key);
    const removal = this.currentVersionDir(key).then(
      (dir) =>
        dir &&
        this.chunkChanges.run(`${name}/${index}`, () => removeIfPresent(dir, chunkFileName(index))),
    );
    // Tracked like a write: removing the media's directories waits for it (a file being removed
    // is locked, and a locked file makes a recursive removal fail).
    this.writes.add(name, removal);
    await removal;
  }

  async listChunks(key?: string): Promise<StoredChunk[]> {
    this.assertOpen();
    const keys = key === undefined ? [...this.metas.values()].map((m) => m.key) : [key];
    const listings = keys.map(async (k) => {
      const dir = await this.currentVersionDir(k);
      return dir ? listChunkFiles(dir, k) : [];
    });
    return (await Promise.all(listings)).flat();
  }

  /** Stop serving calls; writes still running give up before their rename (nothing visible). */
  close(): void {
    this.closed = true;
  }

  private async writeChunk(
    name: string,
    key: string,
    version: number,
    index: number,
    data: Blob,
  ): Promise<void> {
    const refused = () => new StaleWriteError(key, version, this.metas.get(name)?.version ?? null);
    const stillCurrent = () => {
      this.assertOpen();
      if (this.metas.get(name)?.version !== version) throw refused();
    };
    stillCurrent();
    const media = await childDirectory(this.root, name);
    const dir = media && (await childDirectory(media, versionDirName(version)));
    // Never created here: a missing directory means the media or its version is gone.
    if (!dir) throw refused();
    try {
      await writeChunkFile(dir, index, data, (rename) =>
        this.chunkChanges.run(`${name}/${index}`, async () => {
          stillCurrent(); // checked right before the rename, so a version change wins
          await rename();
        }),
      );
    } catch (error) {
      throw isDirectoryGone(error) ? refused() : error;
    }
  }

  private async currentVersionDir(key: string): Promise<FileSystemDirectoryHandle | undefined> {
    const name = await this.dirOf(key);
    const meta = this.metas.get(name);
    const media = meta && (await childDirectory(this.root, name));
    return media && meta && childDirectory(media, versionDirName(meta.version));
  }

  private async update(key: string, change: (meta: MediaMeta) => MediaMeta): Promise<void> {
    const name = await this.dirOf(key);
    await this.metaWrites.run(name, async () => {
      const meta = this.metas.get(name);
      const dir = meta && (await childDirectory(this.root, name));
      if (!meta || !dir) return; // unknown key: a no-op, as the port says
      const next = change(meta);
      await writeMeta(dir, next);
      this.metas.set(name, next);
    });
  }

  /**
   * The directory name of `key`. Memoised as a promise so that calls for one key reach the
   * metadata queue in call order (two digests may resolve in any order).
   */
  private dirOf(key: string): Promise<string> {
    this.assertOpen();
    let name = this.dirNames.get(key);
    if (!name) {
      name = mediaDirName(key);
      this.dirNames.set(key, name);
    }
    return name;
  }

  private assertOpen(): void {
    if (this.closed) throw new DOMException('the chunk store is closed', 'InvalidStateError');
  }
}
