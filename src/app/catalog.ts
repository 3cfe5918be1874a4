/**
 * The media the library offers: the bundled samples on the demo's origin, and URLs the user
 * added (kept in this browser's localStorage, headers included: a demo, not a vault).
 */
export interface MediaItem {
  title: string;
  url: string;
  headers?: Record<string, string>;
}

const KEY = 'chunkwise-demo-media';

export const SAMPLES = [
  { title: 'H.264/AAC MP4, faststart', path: '/files/sample-faststart.mp4' },
  { title: 'H.264/AAC MP4, moov at end', path: '/files/sample-moov-end.mp4' },
  { title: 'VP9/Opus WebM', path: '/files/sample.webm' },
];

export function catalog(origin: string): MediaItem[] {
  const samples = SAMPLES.map((s) => ({ title: s.title, url: new URL(s.path, origin).href }));
  return [...samples, ...added()];
}

export function added(): MediaItem[] {
  try {
    const items = JSON.parse(localStorage.getItem(KEY) ?? '[]') as MediaItem[];
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

export function addMedia(item: MediaItem): void {
  const items = added().filter((i) => i.url !== item.url);
  localStorage.setItem(KEY, JSON.stringify([...items, item]));
}

export function forgetMedia(url: string): void {
  localStorage.setItem(KEY, JSON.stringify(added().filter((i) => i.url !== url)));
}
