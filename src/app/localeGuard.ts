/**
 * Imported first by the demo: WebKitGTK under a C/POSIX locale (`LANG=C.UTF-8`, as in Debian
 * containers) reports `navigator.language` as `"C"`, which `Intl` rejects with a RangeError, and
 * uPlot builds its number formatter from it as its module loads: the whole demo failed to start.
 * Where the browser's language is not one `Intl` accepts, report `en-US` instead.
 */
try {
  new Intl.NumberFormat(navigator.language);
} catch {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true });
}
