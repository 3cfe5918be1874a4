import type { PageLike } from './PageLike.ts';

/**
 * Play the media element matched by `selector` until its currentTime passes `time` (starting
 * it if paused; started again if the page loads a new source meanwhile). Waits on media events
 * only; a media error, or the media ending first, rejects.
 */
export function playUntil(page: PageLike, selector: string, time: number): Promise<number> {
  return page.evaluate(
    async ({ selector, time }) => {
      const media = document.querySelector(selector);
      if (!(media instanceof HTMLMediaElement)) throw new Error(`no media element ${selector}`);
      if (media.currentTime > time) return media.currentTime;
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          media.removeEventListener('timeupdate', onTime);
          media.removeEventListener('error', onError);
          media.removeEventListener('ended', onEnded);
          if (error) reject(error);
          else resolve();
        };
        const onTime = () => {
          if (media.currentTime > time) done();
        };
        const onError = () =>
          done(new Error(`media error ${media.error?.code}: ${media.error?.message}`));
        const onEnded = () =>
          done(new Error(`the media ended at ${media.currentTime} s, before ${time} s`));
        media.addEventListener('timeupdate', onTime);
        media.addEventListener('error', onError);
        media.addEventListener('ended', onEnded, { once: true });
        // An AbortError means the page loaded a new source meanwhile (it set `src` again, as a
        // player does when it starts): play that one instead. A few times at most.
        let retries = 5;
        const start = () =>
          media.play().catch((error: Error) => {
            if (error.name === 'AbortError' && retries-- > 0) start();
            else done(error);
          });
        if (media.paused) start();
      });
      return media.currentTime;
    },
    { selector, time },
  );
}

/**
 * Seek the media element matched by `selector` to `time` (after its metadata loaded) and resolve
 * with its currentTime once `seeked` fired. A media error rejects with its code and message.
 */
export function seekTo(page: PageLike, selector: string, time: number): Promise<number> {
  return page.evaluate(
    async ({ selector, time }) => {
      const media = document.querySelector(selector);
      if (!(media instanceof HTMLMediaElement)) throw new Error(`no media element ${selector}`);
      if (media.readyState === HTMLMediaElement.HAVE_NOTHING) {
        // No `seeked` fires before the metadata: wait for it (or the error that replaces it).
        await new Promise<void>((resolve, reject) => {
          media.addEventListener('loadedmetadata', () => resolve(), { once: true });
          media.addEventListener(
            'error',
            () => reject(new Error(`media error ${media.error?.code}: ${media.error?.message}`)),
            { once: true },
          );
        });
      }
      return new Promise<number>((resolve, reject) => {
        const onSeeked = () => {
          media.removeEventListener('error', onError);
          resolve(media.currentTime);
        };
        const onError = () => {
          media.removeEventListener('seeked', onSeeked);
          reject(new Error(`media error ${media.error?.code}: ${media.error?.message}`));
        };
        media.addEventListener('seeked', onSeeked, { once: true });
        media.addEventListener('error', onError, { once: true });
        media.currentTime = time;
      });
    },
    { selector, time },
  );
}
