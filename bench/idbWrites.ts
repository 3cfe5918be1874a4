/**
 * What an IndexedDB chunk write costs, alone (no proxy): 128 MiB of Blobs put from a page of the
 * app, in 1 MiB or 4 MiB values, one or four per transaction, one or four transactions at a
 * time; then the stored Blobs read back as one composed Blob (as `readStoredBody` serves a
 * stored range). Each mode in a new database, modes alternated, three rounds. A diagnosis tool;
 * it prints, never asserts.
 *
 *   tsx bench/idbWrites.ts [--dist=dir]
 */
import { withBenchBrowser } from './launchBenchBrowser.ts';
import { startBenchServers } from './startBenchServers.ts';

/** value size in MiB, values per transaction, transactions open at once */
const MODES: [unitMiB: number, perTransaction: number, concurrent: number][] = [
  [1, 1, 1],
  [1, 1, 4],
  [1, 4, 1],
  [1, 4, 4],
  [4, 1, 1],
  [4, 1, 4],
];
const TOTAL_MIB = 128;

const dist = process.argv.find((a) => a.startsWith('--dist='))?.slice(7) ?? 'dist';
const servers = await startBenchServers(dist);
try {
  await withBenchBrowser(servers, async (b) => {
    for (let round = 1; round <= 3; round++) {
      for (const [unit, per, concurrent] of MODES) {
        const r = await b.app.evaluate(
          async ([unit, per, concurrent, total, name]) => {
            const db = await new Promise<IDBDatabase>((resolve, reject) => {
              const open = indexedDB.open(name, 1);
              open.onupgradeneeded = () => open.result.createObjectStore('c');
              open.onsuccess = () => resolve(open.result);
              open.onerror = () => reject(open.error);
            });
            const done = (tx: IDBTransaction) =>
              new Promise((resolve, reject) => {
                tx.oncomplete = resolve;
                tx.onerror = () => reject(tx.error);
                tx.onabort = () => reject(tx.error);
              });
            const count = total / unit;
            let next = 0;
            const t0 = performance.now();
            const writer = async () => {
              while (next < count) {
                const tx = db.transaction('c', 'readwrite', { durability: 'relaxed' });
                for (let k = 0; k < per && next < count; k++) {
                  const bytes = new Uint8Array(unit << 20).fill(next & 0xff);
                  tx.objectStore('c').put(new Blob([bytes]), next++);
                }
                await done(tx);
              }
            };
            await Promise.all(Array.from({ length: concurrent }, writer));
            const writeMs = performance.now() - t0;
            const blobs = await new Promise<Blob[]>((resolve) => {
              const all = db.transaction('c').objectStore('c').getAll();
              all.onsuccess = () => resolve(all.result);
            });
            const t1 = performance.now();
            const reader = new Blob(blobs).stream().getReader();
            let read = 0;
            for (let r = await reader.read(); !r.done; r = await reader.read())
              read += r.value.byteLength;
            const readMs = performance.now() - t1;
            db.close();
            indexedDB.deleteDatabase(name);
            return { write: (total * 1.048576) / (writeMs / 1000), read: read / 1e3 / readMs };
          },
          [
            unit,
            per,
            concurrent,
            TOTAL_MIB,
            `idb-writes-${round}-${unit}-${per}-${concurrent}`,
          ] as const,
        );
        console.log(
          `round ${round}: ${unit} MiB values, ${per} per transaction, ${concurrent} at once: ` +
            `write ${r.write.toFixed(0)} MB/s, composed read ${r.read.toFixed(0)} MB/s`,
        );
      }
    }
  });
} finally {
  await servers.close();
}
