import { registerStreamProxy, type StreamProxyClient } from 'chunkwise/client';

declare global {
  interface Window {
    /** The client, for the smoke test and the console. */
    proxy?: StreamProxyClient;
  }
}

const video = document.querySelector('video') as HTMLVideoElement;
const form = document.querySelector('form') as HTMLFormElement;
const input = form.elements.namedItem('src') as HTMLInputElement;
const status = document.querySelector('#status') as HTMLElement;

try {
  const proxy = await registerStreamProxy({ scriptUrl: './sw.js', scope: './' });
  window.proxy = proxy;
  status.textContent = 'Ready: the service worker controls this page.';
  let current: { id: string; stopKeepAlive: () => void } | null = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // One session at a time: the previous one stops downloading (its cached chunks stay).
    if (current) {
      current.stopKeepAlive();
      await proxy.closeSession(current.id).catch(() => undefined);
    }
    const session = await proxy.createSession(input.value);
    current = { id: session.id, stopKeepAlive: proxy.keepAlive(video) };
    video.src = session.url; // `/stream/<id>`: ranges answered from the chunk cache
    await video.play();
  });
} catch (error) {
  status.textContent = `Not proxied: ${(error as Error).message}`;
}
