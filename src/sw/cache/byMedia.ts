/** The chunk indexes of each media in `chunks`, in their order. */
export function byMedia(chunks: { key: string; index: number }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const c of chunks) {
    const list = out.get(c.key);
    if (list) list.push(c.index);
    else out.set(c.key, [c.index]);
  }
  return out;
}
