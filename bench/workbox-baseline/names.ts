/** Shared by the baseline's page and worker. */
export const MEDIA_CACHE = 'bench-media';
/** Same-origin path prefix under which the page stores, and the worker serves, whole media. */
export const MEDIA_PREFIX = '/media/';
