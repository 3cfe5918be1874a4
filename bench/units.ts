export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Throughput in MB/s (10^6 bytes per second, the unit of the origin's `rate` knobs). */
export function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** `64 MiB`, `1 GiB`, `4 KiB`, `3.41 MiB`. */
export function size(bytes: number): string {
  const [unit, n] =
    bytes >= GiB
      ? ['GiB', bytes / GiB]
      : bytes >= MiB
        ? ['MiB', bytes / MiB]
        : ['KiB', bytes / KiB];
  return `${Number.isInteger(n) ? n : n.toFixed(2)} ${unit}`;
}
