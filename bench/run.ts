/**
 * `npm run bench` (after `vite build`): the proxy against its baselines in real Chromium, each
 * scenario alternating proxy and baseline measurements in one run. Prints a Markdown table on
 * stdout (progress goes to stderr) and writes `bench/results/<timestamp>.json`. Timings are
 * printed, never asserted. See BENCHMARKS.md for what each figure means.
 *
 *   tsx bench/run.ts [--quick] [--pairs=N] [--only=s1,s3] [--dist=dir] [--no-write]
 */
import { parseBenchOptions } from './benchOptions.ts';
import { formatTable } from './formatTable.ts';
import { machineInfo } from './machineInfo.ts';
import type { Row } from './Row.ts';
import type { ScenarioContext } from './Scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { sourceVersion } from './sourceVersion.ts';
import { startBenchServers } from './startBenchServers.ts';
import { writeResults } from './writeResults.ts';

const options = parseBenchOptions(process.argv.slice(2));
const startedAt = new Date();
const t0 = performance.now();
const machine = machineInfo();
const source = sourceVersion();
const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

const servers = await startBenchServers(options.dist);
let seed = 1000;
const ctx: ScenarioContext = {
  options,
  servers,
  log,
  freshSeed: () => ++seed,
  sawBrowser: (version) => {
    machine.chromium = version;
  },
};

const scenarios = [];
const rows: Row[] = [];
try {
  for (const scenario of SCENARIOS) {
    if (options.only && !options.only.has(scenario.id)) continue;
    log(`${scenario.id}: ${scenario.title}`);
    const s0 = performance.now();
    const out = await scenario.run(ctx);
    const seconds = (performance.now() - s0) / 1000;
    log(`${scenario.id}: done in ${seconds.toFixed(0)} s`);
    scenarios.push({ id: scenario.id, title: scenario.title, seconds, ...out });
    rows.push(...out.rows);
  }
} finally {
  await servers.close();
}

const seconds = (performance.now() - t0) / 1000;
const settings = scenarios.map((s) => `- **${s.id.toUpperCase()}** ${s.title}: ${s.settings}`);
process.stdout.write(
  [
    `# Chunkwise benchmark, ${startedAt.toISOString()}${options.quick ? ' (--quick)' : ''}`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Chromium ${machine.chromium}, Node ${machine.node}. Run took ${seconds.toFixed(0)} s.`,
    `Code: ${source.commit?.slice(0, 10) ?? 'unknown commit'}${source.srcDirty ? ' with uncommitted changes in src/' : ''}.`,
    '',
    ...settings,
    '',
    formatTable(rows),
    '',
  ].join('\n'),
);
if (options.write) {
  const path = writeResults(startedAt, {
    startedAt: startedAt.toISOString(),
    seconds,
    options: { ...options, only: options.only ? [...options.only] : null },
    machine,
    source,
    rows,
    scenarios,
  });
  log(`results written to ${path}`);
}
