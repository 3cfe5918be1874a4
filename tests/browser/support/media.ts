import type { Page } from '@playwright/test';

/**
 * Play `src` in the page's `<video>` until currentTime passes `playTo`, then seek to each of
 * `seeks` and wait for `seeked` (and for playback to move again after the seek). Waits on media
 * events only; any media error rejects with its code.
 */
export function playAndSeek(
  page: Page,
  src: string,
  playTo: number,
  seeks: number[],
): Promise<{ seekedAt: number[]; duration: number }> {
  return page.evaluate(
    async ({ src, playTo, seeks }) => {
      const video = document.getElementById('video') as HTMLVideoElement;
      let failed: (e: Error) => void = () => undefined;
      const failure = new Promise<never>((_, reject) => {
        failed = reject;
      });
      video.addEventListener('error', () =>
        failed(new Error(`media error ${video.error?.code}: ${video.error?.message}`)),
      );
      const until = (name: string, ok: () => boolean = () => true) =>
        Promise.race([
          failure,
          new Promise<void>((resolve) => {
            const on = () => {
              if (!ok()) return;
              video.removeEventListener(name, on);
              resolve();
            };
            video.addEventListener(name, on);
          }),
        ]);
      video.src = src;
      await Promise.race([failure, video.play()]);
      await until('timeupdate', () => video.currentTime > playTo);
      const seekedAt: number[] = [];
      for (const to of seeks) {
        const seeked = until('seeked');
        video.currentTime = to;
        await seeked;
        seekedAt.push(video.currentTime);
        if (to < video.duration - 1) await until('timeupdate', () => video.currentTime > to + 0.2);
      }
      video.pause();
      return { seekedAt, duration: video.duration };
    },
    { src, playTo, seeks },
  );
}
