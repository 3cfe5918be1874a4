import { registerStreamProxy, type StreamProxyClient } from 'chunkwise/client';

declare global {
  interface Window {
    /** The client, for the smoke test and the console. */
    proxy?: StreamProxyClient;
  }
}

const video = document.querySelector('video') as HTMLVideoElement;
const params = new URLSearchParams(location.search);

const proxy = await registerStreamProxy({ scriptUrl: './sw.js', scope: './' });
window.proxy = proxy;
const src = params.get('src');
if (src) {
  const session = await proxy.createSession(src);
  proxy.keepAlive(video);
  video.src = session.url;
}
