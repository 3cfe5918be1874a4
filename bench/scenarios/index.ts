import type { Scenario } from '../Scenario.ts';
import { s1ThrottledUpstream } from './s1ThrottledUpstream.ts';
import { s2LinkCap } from './s2LinkCap.ts';
import { s3WarmReplay } from './s3WarmReplay.ts';
import { s4FirstFrame } from './s4FirstFrame.ts';
import { s5Seek } from './s5Seek.ts';
import { s6RequestOverhead } from './s6RequestOverhead.ts';
import { s7Memory } from './s7Memory.ts';
import { s8StorageBackends } from './s8StorageBackends.ts';
import { s9IdleGaps } from './s9IdleGaps.ts';
import { s10FastUpstream } from './s10FastUpstream.ts';
import { s11OfflineDownload } from './s11OfflineDownload.ts';

/** Every scenario, in the order a run measures them. */
export const SCENARIOS: Scenario[] = [
  s1ThrottledUpstream,
  s2LinkCap,
  s3WarmReplay,
  s4FirstFrame,
  s5Seek,
  s6RequestOverhead,
  s7Memory,
  s8StorageBackends,
  s9IdleGaps,
  s10FastUpstream,
  s11OfflineDownload,
];
