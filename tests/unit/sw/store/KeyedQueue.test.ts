import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../../src/sw/store/KeyedQueue.ts';

/** A promise settled from outside, so a test decides when a task ends. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('KeyedQueue', () => {
  it('run_sameKey_tasksRunOneAtATimeInCallOrder', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const first = gate();
    const a = queue.run('k', async () => {
      log.push('a start');
      await first.opened;
      log.push('a end');
    });
    const b = queue.run('k', async () => {
      log.push('b');
    });
    await Promise.resolve();
    expect(log).toEqual(['a start']); // b waits for a
    first.open();
    await Promise.all([a, b]);
    expect(log).toEqual(['a start', 'a end', 'b']);
  });

  it('run_otherKey_doesNotWait', async () => {
    const queue = new KeyedQueue();
    const blocker = gate();
    const slow = queue.run('k', () => blocker.opened);
    await expect(queue.run('other', async () => 'done')).resolves.toBe('done');
    blocker.open();
    await slow;
  });

  it('run_failedTask_rejectsItsCallerAndNextTaskStillRuns', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('k', async () => {
      throw new Error('boom');
    });
    const next = queue.run('k', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
