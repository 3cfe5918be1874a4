/**
 * A promise the test opens by hand: the fake upstream waits on it (headers held, body stalled)
 * so the test alone decides when the upstream goes on. No timers, no sleeps.
 */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
