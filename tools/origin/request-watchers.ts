/**
 * `whenRequest(match)`: resolves with the first log entry that matches, already logged or still
 * to come. Lets a test act at a precise point ("the 2nd request has reached the origin, now
 * abort it") without polling the log.
 */
import type { LogEntry } from './log-entry.ts';

export type EntryMatcher = (entry: LogEntry) => boolean;

interface Watcher {
  match: EntryMatcher;
  resolve(entry: LogEntry): void;
}

export class RequestWatchers {
  #watchers: Watcher[] = [];

  /** Wait for a matching entry, looking first at `log` (entries that already arrived). */
  wait(log: readonly LogEntry[], match: EntryMatcher): Promise<LogEntry> {
    const existing = log.find(match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => this.#watchers.push({ match, resolve }));
  }

  /** Call when `entry` was appended to the log. */
  notify(entry: LogEntry): void {
    const matched = this.#watchers.filter((watcher) => watcher.match(entry));
    if (matched.length === 0) return;
    this.#watchers = this.#watchers.filter((watcher) => !matched.includes(watcher));
    for (const watcher of matched) watcher.resolve(entry);
  }
}
