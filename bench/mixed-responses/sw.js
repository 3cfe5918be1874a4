// The probe worker of bench/mixedResponses.ts. It answers `stream/<name>` from the upstream
// `up`, forwarding the request's Range, in one of these ways (`answer`):
//   built     every response a new Response around the upstream body (what Chunkwise does)
//   passed    every response the upstream's own Response object
//   mixed     built, passed, built, … (request 0 built)
//   mixed-1   passed, built, passed, … (request 0 passed)
//   short     passed, but an open-ended range asks the upstream for 256 KiB only, so the element
//             gets a 206 that ends before the range it asked for
// How each request was answered goes to the upstream in the query (`?n=…&passed=0|1&short=0|1&mode=…`), so the
// origin's log records it.
const settings = new URL(location.href).searchParams;
const answer = settings.get('answer');
const upstream = settings.get('up');
const SHORT = 256 * 1024;
let count = 0;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const at = url.pathname.indexOf('/stream/');
  if (at < 0) return;
  const n = count++;
  const range = event.request.headers.get('Range');
  const passed =
    answer === 'passed' ||
    answer === 'short' ||
    (answer === 'mixed' && n % 2 === 1) ||
    (answer === 'mixed-1' && n % 2 === 0);
  const open = /^bytes=(\d+)-$/.exec(range ?? '');
  const asked =
    answer === 'short' && open ? `bytes=${open[1]}-${Number(open[1]) + SHORT - 1}` : range;
  const query = `?n=${n}&passed=${passed ? 1 : 0}&short=${asked === range ? 0 : 1}&mode=${event.request.mode}`;
  event.respondWith(
    (async () => {
      const up = await fetch(upstream + url.pathname.slice(at + 8) + query, {
        headers: asked ? { Range: asked } : {},
      });
      if (passed) return up;
      const headers = new Headers();
      for (const name of ['Content-Type', 'Content-Length', 'Content-Range', 'Accept-Ranges']) {
        const value = up.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      return new Response(up.body, { status: up.status, headers });
    })(),
  );
});
