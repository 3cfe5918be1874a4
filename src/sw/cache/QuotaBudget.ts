import type { CacheUsage } from '../../shared/types.ts';
import { resolveBudget } from './resolveBudget.ts';

/** `navigator.storage.estimate()` or a stand-in (null where the engine has none). */
export type Estimate = () => Promise<{ quota?: number; usage?: number } | null>;

/**
 * The budget the cache enforces: the configured one, lowered to what the browser grants
 * (`resolveBudget`) and to what really fit when the browser last refused a write. Chromium's
 * `estimate()` keeps promising usage + 10 GiB (README "Platform facts"), so a `QuotaExceededError` is the
 * real limit; the ceiling it teaches holds for the worker's life.
 */
export class QuotaBudget {
  private effectiveBytes: number;
  private ceiling = Number.POSITIVE_INFINITY;
  quotaErrors = 0;

  constructor(
    private configuredBytes: number,
    private readonly estimate: Estimate,
  ) {
    this.effectiveBytes = configuredBytes;
  }

  get effective(): number {
    return this.effectiveBytes;
  }

  get configured(): number {
    return this.configuredBytes;
  }

  set configured(bytes: number) {
    this.configuredBytes = bytes;
  }

  /** Re-read the browser's estimate; `ownBytes` are the bytes we store now. */
  async refresh(ownBytes: number): Promise<void> {
    const estimate = await this.estimate().catch(() => null);
    this.effectiveBytes = Math.min(
      resolveBudget(this.configuredBytes, estimate, ownBytes),
      this.ceiling,
    );
  }

  /** The browser refused a write with `ownBytes` stored: never plan beyond that again. */
  refused(ownBytes: number): void {
    this.quotaErrors++;
    this.ceiling = Math.min(this.ceiling, ownBytes);
    this.effectiveBytes = Math.min(this.effectiveBytes, this.ceiling);
  }

  async usage(): Promise<
    Pick<
      CacheUsage,
      'budget' | 'configuredBudget' | 'browserQuota' | 'browserUsage' | 'quotaErrors'
    >
  > {
    const estimate = await this.estimate().catch(() => null);
    return {
      budget: this.effectiveBytes,
      configuredBudget: this.configuredBytes,
      browserQuota: estimate?.quota ?? null,
      browserUsage: estimate?.usage ?? null,
      quotaErrors: this.quotaErrors,
    };
  }
}

/**
 * The browser refused a write for lack of room. (Only this name: an `UnknownError` is a disk or
 * backend fault, and taking it for a quota would lower the budget for the worker's life.)
 */
export function isQuotaError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'QuotaExceededError';
}
