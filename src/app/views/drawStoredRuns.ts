/**
 * Fill `bar` (a `.stored-bar`) with one segment per stored run of chunks, placed as a share of
 * `total` chunks: the buffered-style bar of the player and of each library row.
 */
export function drawStoredRuns(bar: HTMLElement, runs: [number, number][], total: number): void {
  bar.replaceChildren(
    ...runs.map(([first, last]) => {
      const part = document.createElement('span');
      part.style.left = `${(first / total) * 100}%`;
      part.style.width = `${((last - first + 1) / total) * 100}%`;
      return part;
    }),
  );
}
