// The page of bench/mixedResponses.ts: registers the probe worker with the case's settings
// (`?answer=…&up=…&media=…&cors=0|1`), then sets the video's source once the worker controls it.
// `window.probe()` plays, seeks and reports what the element did.
const params = new URLSearchParams(location.search);
window.events = [];

async function start() {
  const script = `sw.js?answer=${params.get('answer')}&up=${encodeURIComponent(params.get('up'))}`;
  await navigator.serviceWorker.register(script);
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
    );
  }
  const video = document.getElementById('video');
  if (params.get('cors') === '1') video.crossOrigin = 'anonymous';
  for (const type of ['loadedmetadata', 'seeked', 'playing', 'error']) {
    video.addEventListener(type, () => {
      window.events.push(
        type === 'error' ? `error ${video.error.code}: ${video.error.message}` : type,
      );
    });
  }
  video.src = `stream/${params.get('media')}`;
  window.ready = true;
}

/** The next `type` event of the video, `error` if that comes first, or `timeout`. */
function next(video, type) {
  return new Promise((resolve) => {
    video.addEventListener(type, () => resolve(type), { once: true });
    video.addEventListener('error', () => resolve('error'), { once: true });
    setTimeout(() => resolve('timeout'), 15_000);
  });
}

window.probe = async () => {
  const video = document.getElementById('video');
  const steps = [];
  if (video.readyState < 1) steps.push(await next(video, 'loadedmetadata'));
  for (const time of [40, 5]) {
    video.currentTime = time;
    steps.push(await next(video, 'seeked'));
  }
  const played = video.play().then(
    () => 'played',
    (error) => `play ${error.name}`,
  );
  steps.push(await Promise.race([played, next(video, 'never')]));
  video.currentTime = 55;
  steps.push(await next(video, 'seeked'));
  return { steps, error: video.error?.message ?? null, events: window.events };
};

start();
