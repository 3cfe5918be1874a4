import type { FetchedCase } from './fetchCases.ts';
import type { RangeCase } from './rangeCases.ts';

/** SHA-256 (hex) of the representation's bytes `start..end`, inclusive. */
export type DigestOf = (start: number, end: number) => Promise<string>;

/**
 * What is wrong with the answer `got` to case `c` of a representation of `size` bytes: an empty
 * list when it is right. Checks status, Content-Range, Content-Length, body length and bytes.
 */
export async function judgeCase(
  c: RangeCase,
  got: FetchedCase,
  size: number,
  digestOf: DigestOf,
): Promise<string[]> {
  const problems: string[] = [];
  const head = c.method === 'HEAD';
  const expect = c.expect;
  const contentRange = got.headers['content-range'] ?? null;
  const contentLength = got.headers['content-length'];
  const allowed = 'parts' in expect ? [200, 206] : [expect.status];
  if (!allowed.includes(got.status)) {
    problems.push(`status ${got.status}, want ${allowed.join(' or ')}`);
    return problems;
  }
  if (head && got.length !== 0) problems.push(`HEAD answered with a ${got.length}-byte body`);
  const bodyIs = async (start: number, end: number) => {
    const length = end - start + 1;
    if (contentLength !== undefined && contentLength !== String(length))
      problems.push(`Content-Length ${contentLength}, want ${length}`);
    if (head) return;
    if (got.length !== length) problems.push(`body of ${got.length} bytes, want ${length}`);
    else if (got.sha256 !== (await digestOf(start, end)))
      problems.push(`body bytes differ from the representation's bytes ${start}-${end}`);
  };

  if (got.status === 416) {
    if (contentRange !== `bytes */${size}`)
      problems.push(`Content-Range ${show(contentRange)}, want "bytes */${size}"`);
  } else if (got.status === 200) {
    if (contentRange !== null) problems.push(`200 with Content-Range ${show(contentRange)}`);
    await bodyIs(0, size - 1);
    if (c.range === null && c.method === 'GET' && got.headers['accept-ranges'] !== 'bytes')
      problems.push(`Accept-Ranges ${show(got.headers['accept-ranges'] ?? null)}, want "bytes"`);
  } else if ('parts' in expect) {
    problems.push(...(await judgeMultipart(got, expect.parts, size, digestOf)));
  } else if (expect.status === 206) {
    const want = `bytes ${expect.start}-${expect.end}/${size}`;
    if (contentRange !== want) problems.push(`Content-Range ${show(contentRange)}, want "${want}"`);
    await bodyIs(expect.start, expect.end);
  }
  return problems;
}

/** A 206 `multipart/byteranges` answer: exactly `parts`, each with its bytes (§14.6). */
async function judgeMultipart(
  got: FetchedCase,
  parts: [number, number][],
  size: number,
  digestOf: DigestOf,
): Promise<string[]> {
  const boundary = /boundary="?([^";]+)"?/i.exec(got.headers['content-type'] ?? '')?.[1];
  if (!boundary || got.multipart === null)
    return [`206 to a multi-range request without a multipart/byteranges body`];
  const body = atob(got.multipart);
  const sections = body.split(`--${boundary}`).slice(1, -1);
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
    const buffer = Uint8Array.from(bytes, (ch) => ch.charCodeAt(0));
    const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buffer))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    if (digest !== (await digestOf(start, end))) problems.push(`part ${i + 1}'s bytes differ`);
  }
  return problems;
}

const show = (value: string | null) => (value === null ? 'missing' : `"${value}"`);
