/** Default cache budget: 2 GiB. */
export const DEFAULT_BUDGET = 2 ** 31;

/**
 * The budget actually enforced: the configured one, lowered to what the browser grants. The
 * browser's share for us is its quota minus what other storage of this origin already uses,
 * less a 10 % safety margin. Chromium's `estimate()` is optimistic (it reports usage + 10 GiB,
 * README "Platform facts"), so this mostly keeps the configured budget; a `QuotaExceededError` is the real
 * signal and lowers the budget further (`MediaCache`). Pure.
 *
 * @param configured - the installation's budget in bytes.
 * @param estimate - `navigator.storage.estimate()`, when available.
 * @param ownBytes - bytes of chunks we store now (part of `estimate.usage`).
 */
export function resolveBudget(
  configured: number,
  estimate: { quota?: number; usage?: number } | null,
  ownBytes: number,
): number {
  if (!estimate || estimate.quota === undefined) return configured;
  const others = Math.max(0, (estimate.usage ?? 0) - ownBytes);
  const granted = Math.floor((estimate.quota - others) * 0.9);
  return Math.max(0, Math.min(configured, granted));
}
