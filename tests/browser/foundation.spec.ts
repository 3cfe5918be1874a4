import { expect, test } from './support/fixtures.ts';

test('app_firstLoad_workerControlsPage', async ({ proxyPage }) => {
  const controlled = await proxyPage.evaluate(
    () => navigator.serviceWorker.controller?.scriptURL ?? null,
  );
  expect(controlled).toMatch(/\/sw\.js(\?store=(indexeddb|opfs))?$/);
});

test('video_directFromOrigin_playsAndSeeks', async ({ proxyPage, origin }) => {
  const result = await proxyPage.evaluate(async (src) => {
    const video = document.getElementById('video') as HTMLVideoElement;
    const event = (name: string) =>
      new Promise<void>((resolve, reject) => {
        video.addEventListener(name, () => resolve(), { once: true });
        video.addEventListener(
          'error',
          () => reject(new Error(`media error ${video.error?.code}`)),
          { once: true },
        );
      });
    video.src = src;
    await video.play();
    await new Promise<void>((resolve) => {
      const check = () => {
        if (video.currentTime > 2) {
          video.removeEventListener('timeupdate', check);
          resolve();
        }
      };
      video.addEventListener('timeupdate', check);
    });
    const seeked = event('seeked');
    video.currentTime = 40;
    await seeked;
    return { time: video.currentTime, duration: video.duration };
  }, `${origin.url}/files/sample.webm`);
  expect(result.time).toBeGreaterThanOrEqual(39.5);
  expect(result.duration).toBeGreaterThan(59);
  expect(origin.log.some((e) => e.path === '/files/sample.webm')).toBe(true);
});
