import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * The Chromium to test with, in this order: `$CHROMIUM_PATH`, a Playwright-managed Chromium if
 * one is installed, Debian's `/usr/bin/chromium`. Throws one line saying how to get one.
 */
export function findChromium(): string {
  const candidates: (string | undefined)[] = [process.env.CHROMIUM_PATH];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // No Playwright-managed browser registered.
  }
  candidates.push('/usr/bin/chromium');
  const found = candidates.find((p) => p !== undefined && p !== '' && existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found: set CHROMIUM_PATH, or install one with `apt-get install -y chromium`.',
    );
  }
  return found;
}

/** Flags that keep Chromium quiet on a closed network and let media autoplay (README "Platform facts"). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];
