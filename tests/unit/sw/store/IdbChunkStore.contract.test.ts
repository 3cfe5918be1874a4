/**
 * The shared `ChunkStore` contract (tests/contract/) against `IdbChunkStore` on fake-indexeddb.
 * Under Node 20 its structured clone keeps Blob values, so chunks are stored as the real store
 * stores them. Browser-only cases run in tests/browser/store-contract.spec.ts.
 */
import 'fake-indexeddb/auto';
import { describe, it } from 'vitest';
import { IdbChunkStore } from '../../../../src/sw/store/IdbChunkStore.ts';
import { openChunkwiseDb } from '../../../../src/sw/store/openChunkwiseDb.ts';
import { check } from '../../../contract/check.ts';
import { chunkStoreContract } from '../../../contract/chunkStoreContract.ts';

describe('IdbChunkStore contract (fake-indexeddb)', () => {
  for (const contractCase of chunkStoreContract) {
    const test = contractCase.browserOnly ? it.skip : it;
    test(contractCase.name, () =>
      contractCase.run({
        // One database per case and namespace: reopening the namespace reopens that database.
        open: async (namespace) =>
          new IdbChunkStore(await openChunkwiseDb(`contract-${contractCase.name}-${namespace}`), {
            merge: true,
          }),
        check,
      }),
    );
  }
});
