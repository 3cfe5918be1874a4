import { cpus, totalmem } from 'node:os';

/** The machine a run measured on, for the results file and BENCHMARKS.md. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** Filled in once a scenario launched the browser. */
  chromium: string | null;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    chromium: null,
  };
}
