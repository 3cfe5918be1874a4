/** Names both sides agree on. */

/** Name of the BroadcastChannel on which the worker pushes `SessionStats`. */
export const STATS_CHANNEL = 'chunkwise-stats';

/** Name of the BroadcastChannel on which the worker pushes `DownloadProgress`. */
export const DOWNLOAD_CHANNEL = 'chunkwise-downloads';

/** The property of a posted message that holds a call for the proxy: `{ chunkwise: call }`. */
export const MESSAGE_KEY = 'chunkwise';
