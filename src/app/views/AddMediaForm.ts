import { type StreamProxyClient, StreamProxyError } from 'chunkwise/client';
import { addMedia, type MediaItem } from '../catalog.ts';

/**
 * Add any URL (with optional request headers) to the library. Checked here first (a URL, http or
 * https, `Name: value` header lines), then by the worker, whose refusal names the field.
 */
export class AddMediaForm {
  constructor(
    private readonly proxy: StreamProxyClient,
    form: HTMLFormElement,
    private readonly added: (item: MediaItem) => void,
  ) {
    const error = form.querySelector('[data-role="error"]') as HTMLElement;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const data = new FormData(form);
      try {
        const item = parse(String(data.get('url') ?? ''), String(data.get('headers') ?? ''));
        item.title =
          String(data.get('title') ?? '').trim() ||
          new URL(item.url).pathname.split('/').pop() ||
          item.url;
        // The worker checks it as it would a session (bounds, scheme, its own URLs).
        const session = await this.proxy.createSession(item.url, { headers: item.headers });
        await this.proxy.closeSession(session.id);
        addMedia(item);
        form.reset();
        this.added(item);
      } catch (e) {
        error.textContent =
          e instanceof StreamProxyError && e.details?.field
            ? `${e.message} (field: ${String(e.details.field)})`
            : (e as Error).message;
      }
    });
  }
}

function parse(url: string, headerText: string): MediaItem {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new Error(`Not a URL: “${url}”. Give a full http:// or https:// address.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`Only http and https URLs can be played (got ${parsed.protocol}).`);
  const headers: Record<string, string> = {};
  for (const [n, line] of headerText.split('\n').entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`Header line ${n + 1} is not “Name: value”.`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return {
    title: '',
    url: parsed.href,
    headers: Object.keys(headers).length ? headers : undefined,
  };
}
