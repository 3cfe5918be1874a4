/** What a benchmark run measures and how long it may take: the command line, parsed. */
export interface BenchOptions {
  /** `--quick`: fewer pairs, smaller files; the whole run stays under two minutes. */
  quick: boolean;
  /** Measurement pairs (A B) per scenario: 3 by default, 2 with `--quick`; `--pairs=N`. */
  pairs: number;
  /** `--only=s1,s3`: run just these scenarios (ids `s1`…`s8`). Null runs all. */
  only: Set<string> | null;
  /** `--dist=dir`: the built app to serve (default `dist`, what `vite build` writes). */
  dist: string;
  /** `--no-write`: print the table only, write no JSON file. */
  write: boolean;
}

const USAGE =
  'usage: tsx bench/run.ts [--quick] [--pairs=N] [--only=s1,s2,…] [--dist=dir] [--no-write]';

export function parseBenchOptions(argv: string[]): BenchOptions {
  let quick = false;
  let pairs: number | null = null;
  let only: Set<string> | null = null;
  let dist = 'dist';
  let write = true;
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2) as [string, string | undefined];
    if (name === '--quick') quick = true;
    else if (name === '--no-write') write = false;
    else if (name === '--pairs' && value !== undefined && /^[1-9]\d*$/.test(value))
      pairs = Number(value);
    else if (name === '--only' && value) only = new Set(value.toLowerCase().split(','));
    else if (name === '--dist' && value) dist = value;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return { quick, pairs: pairs ?? (quick ? 2 : 3), only, dist, write };
}
