import { gapOf, type Row, type Target } from './Row.ts';

/** A number with about three significant digits (1234, 123, 12.3, 1.23, 0.123). */
export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const a = Math.abs(n);
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

/**
 * How the measured figure stands against its goal: `met, 0.06 to spare` or
 * `**MISS** by 0.05 (6 % short)` when higher is better; `**MISS** by 7.8 (8.8× the limit)`
 * when lower is better.
 */
export function formatGap(t: Target): string {
  const gap = gapOf(t);
  if (gap >= 0) return `met, ${fmt(gap)} to spare`;
  const how = t.higherIsBetter
    ? `${((-gap / t.goal) * 100).toFixed(0)} % short`
    : `${fmt(t.measured / t.goal)}× the limit`;
  return `**MISS** by ${fmt(-gap)} (${how})`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The results as one Markdown table, plus the rows' notes as a numbered list. */
export function formatTable(rows: Row[]): string {
  const head = [
    'Scenario',
    'Measure',
    'Unit',
    'Proxy (median)',
    'Baseline',
    'Baseline (median)',
    'Ratio per pair',
    'Median ratio',
    'Target',
    'Measured',
    'Gap',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const notes: string[] = [];
  for (const r of rows) {
    let measure = r.measure;
    if (r.note) {
      notes.push(r.note);
      measure += ` [${notes.length}]`;
    }
    lines.push(
      `| ${[
        r.scenario,
        measure,
        r.unit,
        fmt(r.proxy.median),
        r.baselineName ?? '—',
        fmt(r.baseline?.median),
        r.ratios ? r.ratios.map(fmt).join(', ') : '—',
        fmt(r.medianRatio),
        r.target?.label ?? '—',
        r.target ? fmt(r.target.measured) : '—',
        r.target ? formatGap(r.target) : '—',
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  const noteLines = notes.map((n, i) => `[${i + 1}] ${n}`);
  return [...lines, ...(noteLines.length > 0 ? ['', ...noteLines] : [])].join('\n');
}
