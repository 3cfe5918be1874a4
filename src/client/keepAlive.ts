/** How often a playing media pings the worker: well inside Firefox's ~30 s. */
export const KEEP_ALIVE_INTERVAL_MS = 20_000;

/**
 * Call `ping` every 20 s while `media` plays (Firefox stops the script-generated streams of a
 * worker that looks idle after ~30 s). Returns a function that stops it.
 */
export function keepAlive(media: HTMLMediaElement, ping: () => Promise<unknown>): () => void {
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const start = () => {
    stop();
    timer = setInterval(() => void ping().catch(() => undefined), KEEP_ALIVE_INTERVAL_MS);
  };
  media.addEventListener('playing', start);
  media.addEventListener('pause', stop);
  media.addEventListener('ended', stop);
  if (!media.paused) start();
  return () => {
    stop();
    media.removeEventListener('playing', start);
    media.removeEventListener('pause', stop);
    media.removeEventListener('ended', stop);
  };
}
