/**
 * Feature detection only: OPFS itself is proven in Chromium by tests/browser/store-contract.spec.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpfsChunkStore } from '../../../../src/sw/store/OpfsChunkStore.ts';
import { OpfsUnavailableError } from '../../../../src/sw/store/OpfsUnavailableError.ts';

/** A file handle class with the given methods on its prototype. */
function fileHandleWith(...methods: string[]) {
  class FakeFileHandle {}
  for (const m of methods) Object.assign(FakeFileHandle.prototype, { [m]: () => undefined });
  return FakeFileHandle;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('OpfsChunkStore.open feature detection', () => {
  it('open_noStorageGetDirectory_rejectsWithOpfsUnavailableError', async () => {
    vi.stubGlobal('navigator', {});
    const open = OpfsChunkStore.open('t');
    await expect(open).rejects.toBeInstanceOf(OpfsUnavailableError);
    await expect(open).rejects.toThrow(/getDirectory/);
  });

  it('open_noCreateWritable_rejectsWithOpfsUnavailableError', async () => {
    vi.stubGlobal('navigator', {
      storage: { getDirectory: () => Promise.reject(new Error('unused')) },
    });
    vi.stubGlobal('FileSystemFileHandle', fileHandleWith('move'));
    await expect(OpfsChunkStore.open('t')).rejects.toThrow(/createWritable/);
  });

  it('open_noMove_rejectsWithOpfsUnavailableError', async () => {
    vi.stubGlobal('navigator', {
      storage: { getDirectory: () => Promise.reject(new Error('unused')) },
    });
    vi.stubGlobal('FileSystemFileHandle', fileHandleWith('createWritable'));
    await expect(OpfsChunkStore.open('t')).rejects.toThrow(/move/);
  });

  it('open_getDirectoryRefused_rejectsWithOpfsUnavailableErrorAndCause', async () => {
    const refusal = new DOMException('private window', 'SecurityError');
    vi.stubGlobal('navigator', { storage: { getDirectory: () => Promise.reject(refusal) } });
    vi.stubGlobal('FileSystemFileHandle', fileHandleWith('createWritable', 'move'));
    const error = await OpfsChunkStore.open('t').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpfsUnavailableError);
    expect((error as Error).cause).toBe(refusal);
  });
});

describe('OpfsChunkStore.openExisting', () => {
  it('noStoreInOpfs_nullAndNothingCreated', async () => {
    const asked: unknown[] = [];
    vi.stubGlobal('FileSystemFileHandle', fileHandleWith('createWritable', 'move'));
    vi.stubGlobal('navigator', {
      storage: {
        getDirectory: async () => ({
          getDirectoryHandle: async (name: string, options: { create?: boolean }) => {
            asked.push([name, options]);
            throw new DOMException(`${name} not found`, 'NotFoundError');
          },
        }),
      },
    });
    expect(await OpfsChunkStore.openExisting('t')).toBeNull();
    expect(asked).toEqual([['t', { create: false }]]);
  });
});
