const MESSAGE = 'prefetch no longer needed';

/**
 * The abort reason of a prefetch dropped because it fell out of every reader's window. It is a
 * soft abort: `fetchChunk` finishes a download that is already more than half in rather than
 * throw those bytes away (aborting at that point saves little and would often mean fetching the
 * same chunk again a moment later). A download read natively shows no progress and is expected
 * to take at most a second (`chooseChunkBody`): it is always finished.
 */
export function droppedPrefetch(): DOMException {
  return new DOMException(MESSAGE, 'AbortError');
}

export function isDroppedPrefetch(reason: unknown): boolean {
  return (
    reason instanceof DOMException && reason.name === 'AbortError' && reason.message === MESSAGE
  );
}
