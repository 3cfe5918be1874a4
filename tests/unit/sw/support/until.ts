/**
 * Wait until `condition` holds, checking once per macrotask turn (fake-indexeddb and the streams
 * under test make progress between turns). A bound on turns, not on time: a condition that never
 * comes fails the test with `what` instead of hanging it, and nothing here measures a duration.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  turns = 20_000,
): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    if (await condition()) return;
    await nextTurn();
  }
  throw new Error(`never happened: ${what}`);
}

/**
 * Wait until the world stops moving: `fingerprint` (e.g. the fake's request count and in-flight
 * count) unchanged for `quietTurns` macrotask turns in a row. Used where a test asserts that
 * something did *not* happen, so it must first let everything that would happen happen.
 */
export async function settled(
  fingerprint: () => string | Promise<string>,
  quietTurns = 50,
  turns = 20_000,
): Promise<void> {
  let last = await fingerprint();
  let quiet = 0;
  for (let turn = 0; turn < turns; turn++) {
    await nextTurn();
    const now = await fingerprint();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
    if (quiet >= quietTurns) return;
  }
  throw new Error(`never settled (last state: ${last})`);
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
