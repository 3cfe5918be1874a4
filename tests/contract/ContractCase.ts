import type { ChunkStore } from '../../src/sw/store/ChunkStore.ts';
import type { Check } from './check.ts';

/** What a runner gives each case. */
export interface ContractContext {
  /**
   * Open the store of `namespace` (a short name, unique within the case; the runner keeps cases
   * and backends apart). Opening a namespace again after `close()` is a reopen: it must see
   * everything the closed store kept.
   */
  open(namespace: string): Promise<ChunkStore>;
  /** Assertions that run in Node and in browsers alike. */
  check: Check;
  /**
   * Lower this origin's real storage quota to `bytes` (browser runner only, through CDP
   * `Storage.overrideQuotaForOrigin`); undefined where the runner cannot.
   */
  limitQuota?: (bytes: number) => Promise<void>;
}

/** One behaviour every `ChunkStore` backend must show. */
export interface ContractCase {
  /** `subject_condition_outcome`, unique in the suite. */
  name: string;
  /** Why the case only runs in a real browser; the Node runner skips it. */
  browserOnly?: string;
  run(ctx: ContractContext): Promise<void>;
}
