import type { BenchOptions } from './benchOptions.ts';
import type { Row } from './Row.ts';
import type { BenchServers } from './startBenchServers.ts';

/** What every scenario gets from the run. */
export interface ScenarioContext {
  options: BenchOptions;
  servers: BenchServers;
  /** A progress line on stderr (stdout carries only the results). */
  log(line: string): void;
  /** A seed not used before in this run: a new upstream URL, so a new cache key (cold). */
  freshSeed(): number;
  /** Record the Chromium version a scenario ran on. */
  sawBrowser(version: string): void;
}

/** What a scenario hands back: table rows, the sizes and settings used, and every raw figure. */
export interface ScenarioOutput {
  /** One line saying the sizes and settings used (printed with the table). */
  settings: string;
  rows: Row[];
  raw: unknown;
}

export interface Scenario {
  id: string;
  title: string;
  run(ctx: ScenarioContext): Promise<ScenarioOutput>;
}
