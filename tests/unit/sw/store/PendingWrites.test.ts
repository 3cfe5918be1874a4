import { describe, expect, it } from 'vitest';
import { PendingWrites } from '../../../../src/sw/store/PendingWrites.ts';

describe('PendingWrites', () => {
  it('settled_waitsForEveryTrackedWriteOfTheKey_evenRejectedOnes', async () => {
    const pending = new PendingWrites();
    const ends: (() => void)[] = [];
    const fails: ((e: Error) => void)[] = [];
    pending.add('k', new Promise<void>((resolve) => ends.push(resolve)));
    pending.add('k', new Promise<void>((_, reject) => fails.push(reject)));
    let settled = false;
    const waiting = pending.settled('k').then(() => {
      settled = true;
    });
    ends[0]?.();
    await Promise.resolve();
    expect(settled).toBe(false); // one write still running
    fails[0]?.(new Error('refused'));
    await waiting;
    expect(settled).toBe(true);
  });

  it('settled_otherKeyOrNothingTracked_resolves', async () => {
    const pending = new PendingWrites();
    pending.add('busy', new Promise<void>(() => undefined)); // never settles
    await expect(pending.settled('idle')).resolves.toBeUndefined();
  });
});
