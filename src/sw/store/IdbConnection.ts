import type { IDBPDatabase } from 'idb';
import { openChunkwiseDb } from './openChunkwiseDb.ts';
import { type ChunkwiseDB, DB_NAME } from './schema.ts';

/**
 * The worker's connection to its database, reopened lazily after it was closed: a `versionchange`
 * (a page's `deleteDatabase`, a newer worker's upgrade) closes it at once so the other side is
 * never blocked, and a forced close (site data cleared) ends it; the next operation opens it
 * again. Operations that were running on the old connection fail (a write is then counted as a
 * storage failure and its bytes are served from memory): the proxy keeps serving meanwhile.
 */
export class IdbConnection {
  private current: Promise<IDBPDatabase<ChunkwiseDB>> | null = null;
  /** Connections opened so far (1 + reopenings), for stats and tests. */
  opens = 0;

  private constructor(
    private readonly name: string,
    private readonly fixed: IDBPDatabase<ChunkwiseDB> | null,
  ) {}

  /** A connection to database `name` that reopens itself after a close. */
  static to(name: string = DB_NAME): IdbConnection {
    return new IdbConnection(name, null);
  }

  /** An already open database, used as it is (tests; no reopening). */
  static of(db: IDBPDatabase<ChunkwiseDB> | IdbConnection): IdbConnection {
    return db instanceof IdbConnection ? db : new IdbConnection(db.name, db);
  }

  db(): Promise<IDBPDatabase<ChunkwiseDB>> {
    if (this.fixed) return Promise.resolve(this.fixed);
    if (this.current === null) {
      this.opens++;
      const opening = openChunkwiseDb(this.name, () => {
        if (this.current === opening) this.current = null;
      });
      this.current = opening;
      opening.catch(() => {
        if (this.current === opening) this.current = null; // a failed open is retried next time
      });
    }
    return this.current;
  }

  close(): void {
    const current = this.current ?? (this.fixed ? Promise.resolve(this.fixed) : null);
    this.current = null;
    current?.then(
      (db) => db.close(),
      () => undefined,
    );
  }
}
