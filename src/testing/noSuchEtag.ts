/**
 * An entity tag the cases assume no server sends: an `If-Range` with it never holds, an
 * `If-Match` with it always fails, and in a list it matches nothing.
 */
export const NO_SUCH_ETAG = '"chunkwise-testing-no-such-etag"';
