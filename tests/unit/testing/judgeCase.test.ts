/**
 * The kit's judge on answers made by hand: a correct server passes every case whichever of the
 * RFC's allowed answers it picks (416 for invalid syntax, a coalesced or multipart answer to
 * several ranges, 200 to a ranged HEAD, no Content-Length), and each wrong answer is named.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FetchedCase } from '../../../src/testing/fetchCases.ts';
import { judgeCase } from '../../../src/testing/judgeCase.ts';
import { type RangeCase, rangeCases } from '../../../src/testing/rangeCases.ts';

const SIZE = 5000;
const bytes = Uint8Array.from({ length: SIZE }, (_, i) => (i * 31 + 7) % 251);
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const digestOf = async (start: number, end: number) => sha(bytes.subarray(start, end + 1));

function answer(
  status: number,
  headers: Record<string, string>,
  body: Uint8Array,
  multipart: string | null = null,
): FetchedCase {
  return { status, headers, length: body.length, sha256: sha(body), multipart };
}

const whole = () =>
  answer(200, { 'content-length': String(SIZE), 'accept-ranges': 'bytes' }, bytes);
const part = (start: number, end: number) =>
  answer(
    206,
    { 'content-range': `bytes ${start}-${end}/${SIZE}`, 'content-length': String(end - start + 1) },
    bytes.subarray(start, end + 1),
  );
const unsatisfiable = () => answer(416, { 'content-range': `bytes */${SIZE}` }, new Uint8Array());

/** A correct server that picks the most common answer of each kind. */
function correct(c: RangeCase): FetchedCase {
  const e = c.expect;
  const head = (f: FetchedCase) =>
    c.method === 'HEAD' ? { ...f, length: 0, sha256: sha(new Uint8Array()) } : f;
  switch (e.kind) {
    case 'whole':
    case 'whole-or-unsatisfiable':
    case 'ranges':
      return head(whole());
    case 'range':
    case 'range-or-whole':
      return head(part(e.start, e.end));
    case 'unsatisfiable':
      return unsatisfiable();
    case 'not-modified':
    case 'not-modified-or-unsatisfiable':
      return answer(304, { etag: '"v1"' }, new Uint8Array());
    case 'precondition-failed':
      // A 412 may explain itself in its content (the proxy answers a JSON error).
      return answer(412, { 'content-type': 'application/json' }, new Uint8Array(40));
  }
}

const cases = rangeCases(SIZE, { chunkSize: 1024 });
const named = (name: string) => cases.find((c) => c.name === name) as RangeCase;

describe('judgeCase: a correct server passes, whichever allowed answer it picks', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    expect(await judgeCase(c, correct(c), SIZE, digestOf)).toEqual({ problems: [], warnings: [] });
  });

  it('invalidRange_rejectedWith416_isAllowed', async () => {
    const verdict = await judgeCase(named('last before first'), unsatisfiable(), SIZE, digestOf);
    expect(verdict.problems).toEqual([]);
  });

  it('severalRanges_coalescedIntoOne_isAllowed', async () => {
    const verdict = await judgeCase(named('multiple ranges'), part(0, 5), SIZE, digestOf);
    expect(verdict.problems).toEqual([]);
  });

  it('severalRanges_multipart_isAllowed', async () => {
    const section = (s: number, e: number) =>
      `--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes ${s}-${e}/${SIZE}\r\n\r\n${String.fromCharCode(...bytes.subarray(s, e + 1))}\r\n`;
    const body = `${section(0, 1)}${section(4, 5)}--B--\r\n`;
    const got = answer(
      206,
      { 'content-type': 'multipart/byteranges; boundary=B' },
      new Uint8Array(),
      btoa(body),
    );
    expect((await judgeCase(named('multiple ranges'), got, SIZE, digestOf)).problems).toEqual([]);
  });

  it('rangedHead_answered200_isAllowed', async () => {
    const got = { ...whole(), length: 0 };
    expect((await judgeCase(named('HEAD with a range'), got, SIZE, digestOf)).problems).toEqual([]);
  });

  it('noContentLength_isAllowed', async () => {
    const got = part(0, 1);
    delete got.headers['content-length'];
    expect((await judgeCase(named('probe bytes=0-1'), got, SIZE, digestOf)).problems).toEqual([]);
  });
});

describe('judgeCase: each wrong answer is named', () => {
  it('overlongLastByte_416_statusProblem', async () => {
    const verdict = await judgeCase(named('over-long last byte'), unsatisfiable(), SIZE, digestOf);
    expect(verdict.problems).toEqual(['status 416, want 206']);
  });

  it('suffixIgnored_200_statusProblem', async () => {
    const verdict = await judgeCase(named('suffix of 500'), whole(), SIZE, digestOf);
    expect(verdict.problems).toEqual(['status 200, want 206']);
  });

  it('rightHeaders_wrongBytes_bodyProblem', async () => {
    const got = { ...part(10, 20), sha256: sha(new Uint8Array(11)) };
    const verdict = await judgeCase(
      named('probe bytes=0-1'),
      { ...got, headers: part(0, 1).headers, length: 2 },
      SIZE,
      digestOf,
    );
    expect(verdict.problems).toEqual(["body bytes differ from the representation's bytes 0-1"]);
  });

  it('contentRangeHidden_saysWhy', async () => {
    const got = part(0, 1);
    delete got.headers['content-range'];
    const [problem] = (await judgeCase(named('probe bytes=0-1'), got, SIZE, digestOf)).problems;
    expect(problem).toContain('Access-Control-Expose-Headers');
  });

  it('coalescedRangeMissingAPart_coverProblem', async () => {
    const verdict = await judgeCase(named('multiple ranges'), part(0, 3), SIZE, digestOf);
    expect(verdict.problems).toEqual(['single range 0-3 does not cover 0-5']);
  });

  it('headWithBody_problem', async () => {
    expect((await judgeCase(named('HEAD'), whole(), SIZE, digestOf)).problems).toEqual([
      `HEAD answered with a ${SIZE}-byte body`,
    ]);
  });

  it('staleIfRange_answered206_statusProblem', async () => {
    // What a cache that does not look at If-Range answers: the old content's bytes, spliced.
    const verdict = await judgeCase(named('If-Range that cannot hold'), part(0, 1), SIZE, digestOf);
    expect(verdict.problems).toEqual(['status 206, want 200']);
  });

  it('ifMatchIgnored_rangeAnswered_statusProblem', async () => {
    const c = named('If-Match that cannot hold, with a Range');
    expect((await judgeCase(c, part(0, 1), SIZE, digestOf)).problems).toEqual([
      'status 206, want 412',
    ]);
  });

  it('ifNoneMatchStarIgnored_200_statusProblem', async () => {
    expect((await judgeCase(named('If-None-Match: *'), whole(), SIZE, digestOf)).problems).toEqual([
      'status 200, want 304',
    ]);
  });

  it('unsatisfiableRangeWithIfNoneMatch_304Or416_bothAllowed_aBodyIsNot', async () => {
    const c = named('unsatisfiable range with If-None-Match: *');
    expect((await judgeCase(c, unsatisfiable(), SIZE, digestOf)).problems).toEqual([]);
    expect((await judgeCase(c, whole(), SIZE, digestOf)).problems).toEqual([
      'status 200, want 304 or 416',
    ]);
  });

  it('412WithContentRange_warningOnly', async () => {
    const got = answer(412, { 'content-range': `bytes 0-1/${SIZE}` }, new Uint8Array());
    const c = named('If-Match that cannot hold');
    expect(await judgeCase(c, got, SIZE, digestOf)).toEqual({
      problems: [],
      warnings: [`412 with Content-Range "bytes 0-1/${SIZE}"`],
    });
  });

  it('416WithoutContentRange_warningOnly', async () => {
    const got = answer(416, {}, new Uint8Array());
    expect(await judgeCase(named('range past the end'), got, SIZE, digestOf)).toEqual({
      problems: [],
      warnings: [`416 without Content-Range: bytes */${SIZE}`],
    });
  });
});
