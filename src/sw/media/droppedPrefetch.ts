const MESSAGE = 'prefetch no longer needed';

/**
 * The abort reason of a prefetch dropped because it fell out of every reader's window. It is a
 * soft abort: `fetchChunk` finishes a download that is already more than half in rather than
 * throw those bytes away (aborting at that point saves little and would often mean fetching the
 * same chunk again a moment later). A download whose body is read natively shows no progress:
 * it gets `DROPPED_NATIVE_GRACE_MS` (what it is expected to take at most, `chooseChunkBody`) to
 * finish, then it is aborted; one still waiting for its headers is aborted at once.
 */
export function droppedPrefetch(): DOMException {
  return new DOMException(MESSAGE, 'AbortError');
}

export function isDroppedPrefetch(reason: unknown): boolean {
  return (
    reason instanceof DOMException && reason.name === 'AbortError' && reason.message === MESSAGE
  );
}
