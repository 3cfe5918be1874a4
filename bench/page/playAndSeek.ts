import type { Page } from '@playwright/test';

export interface SeekTiming {
  position: number;
  /** Setting `currentTime` → `seeked`. */
  seekedMs: number;
  /** Setting `currentTime` → playback moving again (see `playAndSeek`). */
  resumedMs: number;
}

export interface PlayTiming {
  /** Setting `src` → the first `playing` (or `timeupdate` with currentTime > 0, if earlier). */
  firstFrameMs: number;
  /** Setting `src` → the first frame handed to the compositor (`requestVideoFrameCallback`). */
  firstPresentedMs: number | null;
  seeks: SeekTiming[];
}

/**
 * In the page's `<video id="video">` (muted, `crossorigin="anonymous"`): set `src`, play, time
 * the first frame; then seek to each of `positions` in turn, timing `seeked` and the moment
 * playback moves again: the first `timeupdate` or presented video frame whose media time is
 * past the position `seeked` landed on (Chromium fires `timeupdate` only every ~250 ms while
 * playing, so the presented frame usually comes first). The element is emptied afterwards, which
 * cancels its requests. Times are `performance.now()` in the page; any media error throws.
 */
export async function playAndSeek(
  page: Page,
  src: string,
  positions: number[] = [],
  timeoutMs = 30_000,
): Promise<PlayTiming> {
  return page.evaluate(
    async ({ src, positions, timeoutMs }) => {
      const video = document.getElementById('video') as HTMLVideoElement;
      const reset = () => {
        video.pause();
        video.removeAttribute('src');
        video.load();
      };
      reset();
      const ac = new AbortController();
      const failure = new Promise<never>((_, reject) => {
        video.addEventListener(
          'error',
          () => reject(new Error(`media error ${video.error?.code}: ${video.error?.message}`)),
          { signal: ac.signal },
        );
        setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      });
      failure.catch(() => undefined);
      /** Resolve with the time of the first `name` event for which `ok()` holds. */
      const when = (name: string, ok: () => boolean = () => true) =>
        new Promise<number>((resolve) => {
          const on = () => {
            if (!ok()) return;
            video.removeEventListener(name, on);
            resolve(performance.now());
          };
          video.addEventListener(name, on, { signal: ac.signal });
        });
      /** Time of the first presented frame with media time past `after` (null: not supported). */
      const presentedAfter = (after: number) =>
        new Promise<number>((resolve) => {
          const next = (_now: number, meta: { mediaTime: number }) => {
            if (ac.signal.aborted) return;
            if (meta.mediaTime > after) resolve(performance.now());
            else video.requestVideoFrameCallback(next);
          };
          video.requestVideoFrameCallback(next);
        });
      try {
        const t0 = performance.now();
        const firstFrame = Promise.race([
          when('playing'),
          when('timeupdate', () => video.currentTime > 0),
        ]);
        const presented = presentedAfter(-1);
        video.src = src;
        video.play().catch(() => undefined);
        const firstFrameMs = (await Promise.race([failure, firstFrame])) - t0;
        // Headless Chromium may never present frames; then only the events count.
        const presentedAt = await Promise.race([
          failure,
          presented,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000)),
        ]);
        const firstPresentedMs = presentedAt === null ? null : presentedAt - t0;
        const seeks = [];
        for (const position of positions) {
          const seeked = when('seeked');
          const s0 = performance.now();
          video.currentTime = position;
          const seekedMs = (await Promise.race([failure, seeked])) - s0;
          const landed = video.currentTime;
          const resumed = Promise.race([
            when('timeupdate', () => video.currentTime > landed),
            presentedAfter(landed),
          ]);
          const resumedMs = (await Promise.race([failure, resumed])) - s0;
          seeks.push({ position, seekedMs, resumedMs });
        }
        return { firstFrameMs, firstPresentedMs, seeks };
      } finally {
        ac.abort();
        reset();
      }
    },
    { src, positions, timeoutMs },
  );
}
