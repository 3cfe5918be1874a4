/**
 * The contract suite's page side: bundled by tests/browser/store-contract.spec.ts and injected
 * into a page of the app's origin, so stores use that origin's real IndexedDB and OPFS.
 */
import { check } from './check.ts';
import { chunkStoreContract } from './chunkStoreContract.ts';
import { interruptedWrites } from './interruptedWrites.ts';
import { type Backend, openBackend } from './openBackend.ts';
import { countOpfsTempFiles } from './opfsTempFiles.ts';

/**
 * Run contract case `caseName` against `backend`; rejects with the failed check's message.
 * Namespaces are prefixed with `runId`, so runs sharing an origin never see each other's data.
 */
async function runChunkStoreCase(backend: Backend, caseName: string, runId: string): Promise<void> {
  const contractCase = chunkStoreContract.find((c) => c.name === caseName);
  if (!contractCase) throw new Error(`no contract case ${caseName}`);
  const limit = window.chunkwiseLimitQuota;
  await contractCase.run({
    open: (namespace) => openBackend(backend, `contract-${runId}-${caseName}-${namespace}`),
    check,
    limitQuota: limit && ((bytes) => limit(bytes)),
  });
}

declare global {
  interface Window {
    /** Installed by this bundle. */
    runChunkStoreCase?: typeof runChunkStoreCase;
    /** Installed by this bundle: writes cut off by closing the page, and their check. */
    interruptedWrites?: typeof interruptedWrites;
    /** Installed by this bundle. */
    countOpfsTempFiles?: typeof countOpfsTempFiles;
    /** Exposed by the runner when it can lower the origin's quota (CDP). */
    chunkwiseLimitQuota?: (bytes: number) => Promise<void>;
  }
}

window.runChunkStoreCase = runChunkStoreCase;
window.interruptedWrites = interruptedWrites;
window.countOpfsTempFiles = countOpfsTempFiles;
