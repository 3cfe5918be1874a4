import type { PageLike } from '../../../src/testing/PageLike.ts';

/** What `openHeldBody` keeps in the page between calls. */
interface Held {
  reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>>;
  parts: Uint8Array<ArrayBuffer>[];
}

/**
 * Fetch `url` in the page and read one piece of its body; the reader stays open in the page
 * (the rest unread) until `readHeldBody` or `cancelHeldBody`. Works with any driver's page.
 */
export function openHeldBody(
  page: PageLike,
  url: string,
): Promise<{ status: number; bytes: number }> {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    const reader = (response.body as ReadableStream<Uint8Array<ArrayBuffer>>).getReader();
    const { value } = await reader.read();
    (window as unknown as { held?: Held }).held = { reader, parts: value ? [value] : [] };
    return { status: response.status, bytes: value?.byteLength ?? 0 };
  }, url);
}

/** Read the held body to its end: its length and SHA-256 (hex), the first piece included. */
export function readHeldBody(page: PageLike): Promise<{ bytes: number; sha256: string }> {
  return page.evaluate(async () => {
    const held = (window as unknown as { held: Held }).held;
    for (;;) {
      const { done, value } = await held.reader.read();
      if (done) break;
      held.parts.push(value);
    }
    const body = new Uint8Array(await new Blob(held.parts).arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
    return {
      bytes: body.byteLength,
      sha256: [...digest].map((x) => x.toString(16).padStart(2, '0')).join(''),
    };
  }, null);
}

/** Cancel the held body if one is open (after a failure, so nothing stays kept). */
export function cancelHeldBody(page: PageLike): Promise<void> {
  return page.evaluate(async () => {
    await (window as unknown as { held?: Held }).held?.reader.cancel().catch(() => undefined);
  }, null);
}
