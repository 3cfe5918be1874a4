import { execFileSync } from 'node:child_process';

/** Which code was measured: the commit, and whether `src/` had uncommitted changes. */
export interface SourceVersion {
  commit: string | null;
  srcDirty: boolean | null;
}

export function sourceVersion(): SourceVersion {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      commit: git('rev-parse', 'HEAD'),
      srcDirty: git('status', '--porcelain', 'src') !== '',
    };
  } catch {
    return { commit: null, srcDirty: null };
  }
}
