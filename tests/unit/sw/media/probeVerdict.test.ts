import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { type ProbeOutcome, probeVerdict } from '../../../../src/sw/media/probeVerdict.ts';
import type { MediaMeta } from '../../../../src/sw/store/ChunkStore.ts';
import type { ProbeResult } from '../../../../src/sw/upstream/probeUpstream.ts';

const known: MediaMeta = {
  key: 'k',
  url: 'https://u.test/a.mp4',
  size: 1000,
  contentType: 'video/mp4',
  etag: '"a"',
  lastModified: null,
  chunkSize: 100,
  validation: 'strong',
  version: 3,
  lastAccess: 1,
  pinned: false,
};
const bare: MediaMeta = { ...known, etag: null, lastModified: null, validation: 'none' };

function parallel(size: number, etag: string | null): ProbeOutcome {
  const result: ProbeResult = {
    mode: 'parallel',
    info: {
      size,
      contentType: 'video/mp4',
      etag,
      lastModified: null,
      contentRangeVisible: true,
      validation: etag ? 'strong' : 'none',
    },
  };
  return { ok: true, result };
}
const failed = (error: unknown): ProbeOutcome => ({ ok: false, error });
const status = (s: number) => failed(new ProxyError('upstream-status', { status: s }, `got ${s}`));
const single: ProbeOutcome = {
  ok: true,
  result: {
    mode: 'single',
    reason: 'ignores Range',
    size: 500,
    contentType: 'text/html',
    etag: null,
    lastModified: null,
    opaque: false,
  },
};
const lenient = { authFailuresFinal: false };
const strict = { authFailuresFinal: true };

describe('probeVerdict', () => {
  it.each([
    ['new media, probe ok', undefined, parallel(1000, '"a"'), lenient, 'probe'],
    ['new media, probe failed', undefined, status(503), lenient, 'fail'],
    [
      'stored, unreachable',
      known,
      failed(new ProxyError('upstream-unreachable')),
      lenient,
      'stored',
    ],
    ['stored, 401 expired token', known, status(401), lenient, 'stored'],
    ['stored, 403', known, status(403), lenient, 'stored'],
    ['stored, 403, access revocable', known, status(403), strict, 'fail'],
    ['stored, 401, access revocable', known, status(401), strict, 'fail'],
    ['stored, 503, access revocable', known, status(503), strict, 'stored'],
    ['stored, 500', known, status(500), lenient, 'stored'],
    [
      'stored, captive portal (invalid answer)',
      known,
      failed(new ProxyError('upstream-invalid')),
      lenient,
      'stored',
    ],
    ['stored, a TypeError', known, failed(new TypeError('Failed to fetch')), lenient, 'stored'],
    ['stored, upstream no longer chunkable', known, single, lenient, 'stored'],
    ['stored, same content', known, parallel(1000, '"a"'), lenient, 'probe'],
    ['stored, new etag (proven change)', known, parallel(1000, '"b"'), lenient, 'probe'],
    ['stored, new size with validators (proven)', known, parallel(2000, '"b"'), lenient, 'probe'],
    [
      'stored without validators, new size, none now',
      bare,
      parallel(2000, null),
      lenient,
      'stored',
    ],
    ['stored without validators, same size', bare, parallel(1000, null), lenient, 'probe'],
    [
      'stored without validators, new size with etag now',
      bare,
      parallel(2000, '"x"'),
      lenient,
      'probe',
    ],
  ] as const)('%s → %s', (_name, meta, outcome, policy, expected) => {
    expect(probeVerdict(meta, outcome, policy)).toBe(expected);
  });
});
