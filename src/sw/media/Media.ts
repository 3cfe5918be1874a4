import type { ParallelMedia } from './ParallelMedia.ts';
import type { SingleMedia } from './SingleMedia.ts';

/** One media as the worker serves it: chunked and cached, or passed through (`mode`). */
export type Media = ParallelMedia | SingleMedia;
