/** The parts of a DevTools `Profiler.Profile` this summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileLine {
  /** `function (file:line)`, or V8's `(idle)`, `(program)`, `(garbage collector)`. */
  name: string;
  selfMs: number;
  share: number;
}

/**
 * Self time per function of a sampled CPU profile, largest first: each sample's time delta is
 * charged to the node it hit, then nodes are merged by function and source position.
 */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileLine[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byNode.get(samples[i] as number);
    const dt = (deltas[i] ?? 0) / 1000;
    if (!node) continue;
    const f = node.callFrame;
    const file = f.url ? `${f.url.slice(f.url.lastIndexOf('/') + 1)}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, selfMs]) => ({ name, selfMs, share: total > 0 ? selfMs / total : 0 }));
}

/** The profiled thread's busy time in ms: every sample but V8's `(idle)`. */
export function workerBusyMs(profile: CpuProfile): number {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let busy = 0;
  for (let i = 0; i < samples.length; i++) {
    if (byNode.get(samples[i] as number)?.callFrame.functionName === '(idle)') continue;
    busy += (deltas[i] ?? 0) / 1000;
  }
  return busy;
}
