/**
 * `writeChunkFile` against scripted OPFS handles: the chunk's Blob goes to the writable as it is
 * (no read into the worker first), and a write that fails as `NotReadableError` or `AbortError`
 * (Chromium's varying answers past the quota) is reported as `QuotaExceededError` only when the
 * source Blob is still readable; an unreadable source keeps its own error. The temp file goes
 * either way. The real OPFS write, quota included, is covered by the store contract in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { chunkFileName, tempChunkName } from '../../../../src/sw/store/opfsNames.ts';
import { writeChunkFile } from '../../../../src/sw/store/writeChunkFile.ts';

/** A version directory whose writables fail with `failure` (or succeed when undefined). */
function scriptedDir(failure?: unknown) {
  const written: unknown[] = [];
  /** The file names asked for: the temp file's. */
  const opened: string[] = [];
  const removed: string[] = [];
  const renamed: string[] = [];
  const handle = {
    createWritable: async () => ({
      write: async (data: unknown) => {
        written.push(data);
        if (failure !== undefined) throw failure;
      },
      abort: async () => undefined,
      close: async () => undefined,
    }),
    move: async (name: string) => {
      renamed.push(name);
    },
  };
  const dir = {
    getFileHandle: async (name: string) => {
      opened.push(name);
      return handle;
    },
    removeEntry: async (name: string) => {
      removed.push(name);
    },
  } as unknown as FileSystemDirectoryHandle;
  return { dir, written, opened, removed, renamed };
}

/** A Blob whose bytes can no longer be read (an OPFS `File` whose chunk was replaced). */
function unreadableBlob(): Blob {
  const blob = new Blob(['abc']);
  blob.slice = () =>
    ({
      arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')),
    }) as unknown as Blob;
  return blob;
}

/** A temp name of chunk `index`, whatever its random part. */
function tempPattern(index: number): RegExp {
  const [head, tail] = tempChunkName(index).split(/[0-9a-f-]{36}/);
  return new RegExp(
    `^${head?.replaceAll('.', '\\.')}[0-9a-f-]{36}${tail?.replaceAll('.', '\\.')}$`,
  );
}

const publishNow = (rename: () => Promise<void>) => rename();

describe('writeChunkFile', () => {
  it('written_theBlobItself_thenRenamedToTheChunk', async () => {
    const { dir, written, renamed, removed } = scriptedDir();
    const data = new Blob(['chunk bytes']);
    await writeChunkFile(dir, 7, data, publishNow);
    expect(written).toEqual([data]);
    expect(written[0]).toBe(data);
    expect(renamed).toEqual([chunkFileName(7)]);
    expect(removed).toEqual([]);
  });

  it.each(['NotReadableError', 'AbortError'])(
    'writeFailsAs%s_sourceReadable_quotaExceeded_tempRemoved',
    async (name) => {
      const { dir, opened, removed, renamed } = scriptedDir(new DOMException('pipe', name));
      const error = await writeChunkFile(dir, 3, new Blob(['abc']), publishNow).catch((e) => e);
      expect(error).toBeInstanceOf(DOMException);
      expect(error.name).toBe('QuotaExceededError');
      expect(error.message).toContain('pipe');
      expect(removed).toEqual(opened);
      expect(opened[0]).toMatch(tempPattern(3));
      expect(renamed).toEqual([]);
    },
  );

  it.each(['NotReadableError', 'AbortError'])(
    'writeFailsAs%s_sourceUnreadable_ownErrorKept',
    async (name) => {
      const failure = new DOMException('source', name);
      const { dir, opened, removed } = scriptedDir(failure);
      await expect(writeChunkFile(dir, 3, unreadableBlob(), publishNow)).rejects.toBe(failure);
      expect(removed).toEqual(opened);
    },
  );

  it.each([
    ['a QuotaExceededError', new DOMException('full', 'QuotaExceededError')],
    ['another DOMException', new DOMException('locked', 'NoModificationAllowedError')],
    ['a TypeError', new TypeError('bad')],
  ])('writeFailsWith %s_passedOnUnchanged', async (_, failure) => {
    const { dir } = scriptedDir(failure);
    await expect(writeChunkFile(dir, 0, new Blob(['abc']), publishNow)).rejects.toBe(failure);
  });
});
