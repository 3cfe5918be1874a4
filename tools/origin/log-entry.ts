/**
 * One request as the origin saw it. Entries are appended to the live log when the request
 * arrives and updated in place as it progresses, so a test can inspect a request in flight.
 */
export interface LogEntry {
  /** Sequential per origin, never reused (also not by clearLog). */
  id: number;
  /** Sequential per TCP connection: equal connIds mean a reused keep-alive connection. */
  connId: number;
  method: string;
  /** URL path without the query. */
  path: string;
  /** Request target as received (path and query). */
  url: string;
  range: string | null;
  ifRange: string | null;
  /** Status sent, or 0 while the headers have not been sent (or never were). */
  status: number;
  /** performance.now() ms when the request arrived (before any maxConns queueing). */
  arrived: number;
  /** performance.now() ms when the response began: after the maxConns queue, before ttfb. */
  start: number;
  /**
   * performance.now() ms when the response ended: when its last body byte was handed to the
   * socket (a bodiless one: when it finished), or when the connection went away (aborted);
   * null while running.
   */
  end: number | null;
  /** Body bytes handed to the socket so far. */
  bytesSent: number;
  /** The client went away, or the socket was reset, before the response completed. */
  aborted: boolean;
}
