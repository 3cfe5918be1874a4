/**
 * A tiny assertion helper for the contract suite: no Node imports and no test framework, so the
 * same cases run under vitest and inside a Chromium page. A failed check throws an `Error` whose
 * message says what was checked, what was expected and what was found.
 */
export interface Check {
  /** Deep equality of plain data (object keys compared regardless of order). */
  equal(actual: unknown, expected: unknown, what: string): void;
  ok(condition: boolean, what: string): void;
  /** `promise` rejects with an error named `name`; returns that error. */
  rejects(promise: Promise<unknown>, name: string, what: string): Promise<unknown>;
  /** `blob` holds exactly `expected`, byte for byte. */
  bytes(blob: Blob | undefined, expected: Uint8Array, what: string): Promise<void>;
}

export const check: Check = {
  equal(actual, expected, what) {
    const a = canonical(actual);
    const e = canonical(expected);
    if (a !== e) fail(`${what}: expected ${clip(e)}, got ${clip(a)}`);
  },

  ok(condition, what) {
    if (!condition) fail(`${what}: not true`);
  },

  async rejects(promise, name, what) {
    let error: unknown;
    try {
      await promise;
    } catch (e) {
      error = e;
    }
    if (error === undefined) fail(`${what}: resolved, expected a rejection with ${name}`);
    const got = error instanceof Error || error instanceof DOMException ? error.name : typeof error;
    if (got !== name) fail(`${what}: rejected with ${got} (${String(error)}), expected ${name}`);
    return error;
  },

  async bytes(blob, expected, what) {
    if (blob === undefined) fail(`${what}: no blob, expected ${expected.length} bytes`);
    const got = new Uint8Array(await blob.arrayBuffer());
    if (got.length !== expected.length) {
      fail(`${what}: ${got.length} bytes, expected ${expected.length}`);
    }
    const at = got.findIndex((b, i) => b !== expected[i]);
    if (at !== -1) fail(`${what}: byte ${at} is ${got[at]}, expected ${expected[at]}`);
  },
};

function fail(message: string): never {
  throw new Error(message);
}

/** JSON with sorted object keys, and `undefined` spelled out (so `{a: undefined}` ≠ `{}`). */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === undefined) return '<undefined>';
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }) ?? '<undefined>'
  );
}

function clip(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
