/**
 * The `ChunkStore` contract suite, written once and run against every backend (the shape of
 * androidx/media's `DataSourceContractTest`): `tests/unit/sw/store/IdbChunkStore.contract.test.ts`
 * runs it in Node, `tests/browser/store-contract.spec.ts` runs it in Chromium for IndexedDB and
 * OPFS. No Node imports and no test framework here: the browser runner bundles this file.
 */

import type { ContractCase } from './ContractCase.ts';
import { chunkCases } from './cases/chunkCases.ts';
import { concurrencyCases } from './cases/concurrencyCases.ts';
import { durabilityCases } from './cases/durabilityCases.ts';
import { mediaCases } from './cases/mediaCases.ts';
import { mergeCases } from './cases/mergeCases.ts';
import { versionCases } from './cases/versionCases.ts';

export type { ContractCase, ContractContext } from './ContractCase.ts';

/** Every case of the contract, names unique. */
export const chunkStoreContract: readonly ContractCase[] = [
  ...mediaCases,
  ...chunkCases,
  ...mergeCases,
  ...versionCases,
  ...concurrencyCases,
  ...durabilityCases,
];
