/** How the demo writes numbers for people. */

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function rate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
}

export function seconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  const whole = Math.round(s);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** `text` with the query strings of the URLs in it hidden (signed URLs carry tokens there). */
export function hideTokens(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#"'<>]+)\?[^\s#"'<>)]*/g, '$1?…');
}

export function ago(time: number): string {
  if (!time) return 'never';
  const s = Math.max(0, (Date.now() - time) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(time).toLocaleDateString();
}

/** A URL as shown: without its query string and fragment (signed URLs carry tokens there). */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}

/** Inclusive index runs as text: `0-3,5,7-9` (what the chunk map's data attributes hold). */
export function runsText(runs: [number, number][]): string {
  return runs.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
}

/** Sorted indexes as inclusive runs. */
export function toRuns(indexes: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else if (!last || i > last[1]) runs.push([i, i]);
  }
  return runs;
}
