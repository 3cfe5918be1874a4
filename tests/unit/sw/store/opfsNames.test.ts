import { describe, expect, it } from 'vitest';
import {
  chunkFileName,
  isTempName,
  mediaDirName,
  parseChunkFileName,
  parseVersionDirName,
  tempChunkName,
  versionDirName,
} from '../../../../src/sw/store/opfsNames.ts';

describe('mediaDirName', () => {
  it('mediaDirName_anyKey_is64HexChars', async () => {
    const keys = ['', '.', '..', 'a/b', 'ünï 🎬', `https://x.test/?q=${'y'.repeat(5000)}`];
    for (const key of keys) expect(await mediaDirName(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('mediaDirName_distinctKeys_distinctNames', async () => {
    const keys = ['.', '..', '', ' ', 'a/b', 'a%2Fb', 'A/b'];
    const names = await Promise.all(keys.map(mediaDirName));
    expect(new Set(names).size).toBe(keys.length);
  });

  it('mediaDirName_sameKey_sameName', async () => {
    expect(await mediaDirName('film-42')).toBe(await mediaDirName('film-42'));
  });
});

describe('chunk and version names', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [123456, '123456'],
  ])('chunkFileName_%i_roundTrips', (index, name) => {
    expect(chunkFileName(index)).toBe(name);
    expect(parseChunkFileName(name)).toBe(index);
  });

  it.each(['', '01', '-1', '1.5', 'meta.json', '3.abc.tmp', 'v1', ' 1'])(
    'parseChunkFileName_%j_isNull',
    (name) => expect(parseChunkFileName(name)).toBeNull(),
  );

  it('tempChunkName_isTempAndNeverAChunkName_uniquePerCall', () => {
    const a = tempChunkName(3);
    const b = tempChunkName(3);
    expect(a).not.toBe(b);
    for (const name of [a, b]) {
      expect(isTempName(name)).toBe(true);
      expect(parseChunkFileName(name)).toBeNull();
    }
    expect(isTempName(chunkFileName(3))).toBe(false);
  });

  it('versionDirName_roundTrips_othersAreNull', () => {
    expect(parseVersionDirName(versionDirName(1))).toBe(1);
    expect(parseVersionDirName(versionDirName(42))).toBe(42);
    for (const name of ['v0', 'v', 'v01', 'x1', 'meta.json', '1']) {
      expect(parseVersionDirName(name)).toBeNull();
    }
  });
});
