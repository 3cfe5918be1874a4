/** Web pages: what a captive portal or an error page answers, never a media. */
const PAGE_TYPES = ['text/html', 'application/xhtml+xml'];

/**
 * Why a 2xx answer to a media request is not the media, or null. A captive portal (hotel, train
 * or café Wi-Fi) answers every URL with its sign-in page: 200 `text/html`. Taken for the media it
 * would be served as video, put in single mode, or — its size differing — mistaken for new
 * content and the stored chunks dropped. No media this proxy streams is a web page (the probe
 * refuses one), so any page is refused, whatever was probed.
 */
export function notMediaReason(response: Response): string | null {
  const type = response.headers.get('Content-Type');
  const essence = type?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!PAGE_TYPES.includes(essence)) return null;
  return `answered ${response.status} with Content-Type ${type}: a web page (a Wi-Fi sign-in page?), not the media`;
}
