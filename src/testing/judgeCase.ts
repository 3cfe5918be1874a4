import type { FetchedCase } from './fetchCases.ts';
import type { RangeCase, RangeOutcome } from './rangeCases.ts';
import { sha256Hex } from './sha256Hex.ts';

/** SHA-256 (hex) of the representation's bytes `start..end`, inclusive. */
export type DigestOf = (start: number, end: number) => Promise<string>;

/** What is wrong with one answer (`problems`: RFC MUSTs, bytes), and what is merely unwise. */
export interface Verdict {
  problems: string[];
  /** SHOULDs not followed (a 416 without `Content-Range`, no `Accept-Ranges: bytes`). */
  warnings: string[];
}

const STATUSES: Record<RangeOutcome['kind'], number[]> = {
  whole: [200],
  range: [206],
  'range-or-whole': [206, 200],
  unsatisfiable: [416],
  'whole-or-unsatisfiable': [200, 416],
  ranges: [200, 206],
  'not-modified': [304],
  'not-modified-or-unsatisfiable': [304, 416],
  'precondition-failed': [412],
};

/**
 * Judge the answer `got` to case `c` of a representation of `size` bytes: status, Content-Range,
 * Content-Length, body length and exact bytes. Empty `problems` when it is right.
 */
export async function judgeCase(
  c: RangeCase,
  got: FetchedCase,
  size: number,
  digestOf: DigestOf,
): Promise<Verdict> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const head = c.method === 'HEAD';
  const contentRange = got.headers['content-range'] ?? null;
  const allowed = STATUSES[c.expect.kind];
  if (!allowed.includes(got.status)) {
    problems.push(`status ${got.status}, want ${allowed.join(' or ')}`);
    return { problems, warnings };
  }
  if (head && got.length !== 0) problems.push(`HEAD answered with a ${got.length}-byte body`);
  const bodyIs = async (start: number, end: number) => {
    const length = end - start + 1;
    const declared = got.headers['content-length'];
    if (declared !== undefined && declared !== String(length))
      problems.push(`Content-Length ${declared}, want ${length}`);
    if (head) return;
    if (got.length !== length) problems.push(`body of ${got.length} bytes, want ${length}`);
    else if (got.sha256 !== (await digestOf(start, end)))
      problems.push(`body bytes differ from the representation's bytes ${start}-${end}`);
  };

  if (got.status === 304 || got.status === 412) {
    // Neither is the representation or a part of it (§15.4.5, §15.5.13; a 412 may explain).
    if (contentRange !== null) warnings.push(`${got.status} with Content-Range "${contentRange}"`);
  } else if (got.status === 416) {
    if (contentRange === null) warnings.push(`416 without Content-Range: bytes */${size}`);
    else if (contentRange !== `bytes */${size}`)
      problems.push(`Content-Range "${contentRange}", want "bytes */${size}"`);
  } else if (got.status === 200) {
    if (contentRange !== null) problems.push(`200 with Content-Range "${contentRange}"`);
    await bodyIs(0, size - 1);
    const ranges = got.headers['accept-ranges'] ?? '';
    if (c.range === null && !head && !/(^|,)\s*bytes\s*(,|$)/i.test(ranges))
      warnings.push('no Accept-Ranges: bytes (clients may not try ranges)');
  } else if (got.multipart !== null && c.expect.kind === 'ranges') {
    problems.push(...(await judgeMultipart(got, c.expect.parts, size, digestOf)));
  } else {
    const sent = parseContentRange(contentRange, size);
    if (!sent) {
      problems.push(
        contentRange === null
          ? '206 without a readable Content-Range (cross-origin? the server must send Access-Control-Expose-Headers: Content-Range)'
          : `Content-Range "${contentRange}" is not "bytes first-last/${size}"`,
      );
    } else if (c.expect.kind === 'ranges') {
      // One range covering every requested one (coalesced, §15.3.7).
      const from = Math.min(...c.expect.parts.map(([start]) => start));
      const to = Math.max(...c.expect.parts.map(([, end]) => end));
      if (sent.start > from || sent.end < to)
        problems.push(`single range ${sent.start}-${sent.end} does not cover ${from}-${to}`);
      await bodyIs(sent.start, sent.end);
    } else if ('start' in c.expect) {
      const want = `bytes ${c.expect.start}-${c.expect.end}/${size}`;
      if (contentRange !== want) problems.push(`Content-Range "${contentRange}", want "${want}"`);
      await bodyIs(c.expect.start, c.expect.end);
    }
  }
  return { problems, warnings };
}

function parseContentRange(
  value: string | null,
  size: number,
): { start: number; end: number } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value ?? '');
  if (!m || Number(m[3]) !== size) return null;
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** A 206 `multipart/byteranges` answer: exactly `parts`, each with its bytes (§14.6). */
async function judgeMultipart(
  got: FetchedCase,
  parts: [number, number][],
  size: number,
  digestOf: DigestOf,
): Promise<string[]> {
  const boundary = /boundary="?([^";]+)"?/i.exec(got.headers['content-type'] ?? '')?.[1];
  if (!boundary || got.multipart === null) return ['multipart/byteranges without a boundary'];
  const sections = atob(got.multipart).split(`--${boundary}`).slice(1, -1);
  if (sections.length !== parts.length)
    return [`multipart body with ${sections.length} parts, want ${parts.length}`];
  const problems: string[] = [];
  for (const [i, [start, end]] of parts.entries()) {
    const section = sections[i] as string;
    const split = section.indexOf('\r\n\r\n');
    const headers = section.slice(0, split);
    const bytes = section.slice(split + 4, section.length - 2); // the CRLF before the boundary
    const want = `bytes ${start}-${end}/${size}`;
    if (!new RegExp(`content-range:\\s*${want}\\r?$`, 'im').test(headers))
      problems.push(`part ${i + 1} lacks Content-Range: ${want}`);
    const digest = await sha256Hex(Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)));
    if (digest !== (await digestOf(start, end))) problems.push(`part ${i + 1}'s bytes differ`);
  }
  return problems;
}
