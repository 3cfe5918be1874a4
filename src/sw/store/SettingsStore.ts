import type { IDBPDatabase } from 'idb';
import { IdbConnection } from './IdbConnection.ts';
import type { ChunkwiseDB } from './schema.ts';

/** Settings of this installation that outlive the worker (e.g. the cache budget a page set). */
export interface SettingsStore {
  get(name: string): Promise<number | string | undefined>;
  set(name: string, value: number | string): Promise<void>;
}

/** `SettingsStore` in the `settings` object store of the worker's database. */
export class IdbSettingsStore implements SettingsStore {
  private readonly connection: IdbConnection;

  constructor(db: IDBPDatabase<ChunkwiseDB> | IdbConnection) {
    this.connection = IdbConnection.of(db);
  }

  private db(): Promise<IDBPDatabase<ChunkwiseDB>> {
    return this.connection.db();
  }

  async get(name: string): Promise<number | string | undefined> {
    return (await (await this.db()).get('settings', name))?.value;
  }

  async set(name: string, value: number | string): Promise<void> {
    await (await this.db()).put('settings', { name, value });
  }
}
