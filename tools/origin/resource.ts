/**
 * A servable representation (RFC 9110 §3.2): its metadata and a way to read any byte range.
 */
export interface Resource {
  /** Length of the whole representation in bytes. */
  size: number;
  /** Strong entity tag including the quotes (§8.8.3). Changes whenever the content changes. */
  etag: string;
  /** Last-Modified field value, an IMF-fixdate (§8.8.2, §5.6.7). */
  lastModified: string;
  contentType: string;
  /** Body bytes [start, end) in pieces; stops producing as soon as the consumer stops. */
  read(start: number, end: number): AsyncIterable<Uint8Array>;
}
