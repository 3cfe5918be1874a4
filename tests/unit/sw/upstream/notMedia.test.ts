/**
 * An answer that is not the media — a Wi-Fi sign-in page (captive portal) answering 200 or 206
 * `text/html` to anything — is a failure (`upstream-invalid`, 502), never taken for the media:
 * not by the probe (no single mode over a sign-in page, no "new content"), not by a direct read
 * (no HTML served as media, no "content changed" that would drop stored chunks).
 */
import { describe, expect, it } from 'vitest';
import { ProxyError } from '../../../../src/sw/errors/ProxyError.ts';
import { openUpstreamBody } from '../../../../src/sw/upstream/openUpstreamBody.ts';
import { probeUpstream } from '../../../../src/sw/upstream/probeUpstream.ts';
import { type Fault, fakeUpstream } from '../support/fakeUpstream.ts';

const signal = () => new AbortController().signal;

describe('probeUpstream: an answer that is not the media', () => {
  it.each<[string, Fault]>([
    ['captivePortal200Html', { captivePortal: true }],
    ['answers206ButHtml', { headers: { 'Content-Type': 'text/html; charset=utf-8' } }],
    ['answers200Html', { ignoreRange: true, headers: { 'Content-Type': 'TEXT/HTML' } }],
    ['answers206Xhtml', { headers: { 'Content-Type': 'application/xhtml+xml' } }],
  ])('%s_upstreamInvalid502', async (_name, fault) => {
    const up = fakeUpstream().fault(fault);
    const error = await probeUpstream(up.upstream()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyError);
    expect(error).toMatchObject({ code: 'upstream-invalid', httpStatus: 502 });
    expect((error as Error).message).toMatch(/html/i);
    expect(up.requests[0]?.end?.how).toBe('cancelled'); // its body released
  });

  it('errorStatusWithHtmlPage_stillUpstreamStatus', async () => {
    const up = fakeUpstream().fault({ status: 404, headers: { 'Content-Type': 'text/html' } });
    await expect(probeUpstream(up.upstream())).rejects.toMatchObject({
      code: 'upstream-status',
      details: { status: 404 },
    });
  });

  it('mediaType_parallel', async () => {
    const up = fakeUpstream({ contentType: 'video/webm' });
    expect(await probeUpstream(up.upstream())).toMatchObject({ mode: 'parallel' });
  });
});

describe('openUpstreamBody: an answer that is not the media', () => {
  it('captivePortal_upstreamInvalidNotContentChanged_bodyReleased', async () => {
    const up = fakeUpstream({ size: 10_000 }).fault({ captivePortal: true });
    const opening = openUpstreamBody(
      up.upstream(),
      { start: 0, end: 999 },
      signal(),
      undefined,
      up.content(),
    );
    await expect(opening).rejects.toMatchObject({ code: 'upstream-invalid' });
    expect(up.requests[0]?.end?.how).toBe('cancelled');
  });

  it('captivePortalWholeBody_upstreamInvalid', async () => {
    const up = fakeUpstream().fault({ captivePortal: true });
    await expect(openUpstreamBody(up.upstream(), null, signal())).rejects.toMatchObject({
      code: 'upstream-invalid',
    });
  });
});
