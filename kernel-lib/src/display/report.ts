/**
 * The single-file HTML report of an evaluation: offline (inline CSS and SVG, no script, no CDN), so it can be
 * mailed, archived with the experiment, or opened on a cluster login node.
 */
import { escapeHtml } from './escape.js';
import { tableHtml, tablePayload } from './table.js';
import { adherenceByModeFigure } from './charts.js';
import { chartFallbackHtml } from './chart-fallback.js';
import type { ResultRecord } from './types.js';
import type { ReferenceLike } from './reference-marks.js';

export interface ReportInput {
  title: string;
  /** The reference notebook's comparison table text, shown verbatim. */
  comparisonText: string;
  /** Result rows (evaluation_results_comprehensive.json). */
  rows: readonly ResultRecord[];
  /** Per (model, mode) records with `<metric>_ci` intervals (`modeSummaryRecords`): the chart's error bars. */
  modeRecords?: readonly ResultRecord[];
  /** The reference block (`extended.reference`): chance and real-music ceiling lines on the chart. */
  reference?: ReferenceLike | null;
  /** Extra sections: heading and pre-rendered, already escaped HTML. */
  sections?: Array<{ heading: string; html: string }>;
  /** Facts shown at the top: config file, runs, failures, timings. */
  facts: Array<[string, string]>;
  /** Runs that did not succeed, one line each. */
  failures?: string[];
  /** Files that count in no figure (classifier failures, unreadable files, missing condition fields), one line each. */
  problems?: string[];
  generatedAt?: Date;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
pre{background:#f6f8fa;padding:.8rem;overflow:auto;font:12px/1.35 ui-monospace,"DejaVu Sans Mono",monospace}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:right}td{white-space:nowrap}th{background:#f0f0f0;position:sticky;top:0;z-index:1}
.emotune-table-box{max-height:560px;overflow:auto;margin:.5rem 0}svg{max-width:100%;height:auto}
td:first-child,th:first-child{text-align:left}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}
.muted{color:#666}
@media (prefers-color-scheme: dark){body{background:#111;color:#eee}pre{background:#1c1c1c}th{background:#222}th,td{border-color:#444}svg text{fill:#ddd}}
`;

/**
 * A self-contained HTML report: facts, the comparison table, the adherence chart, result rows and extra sections.
 * @example
 * ```ts
 * const html = et.renderReportHtml({
 *   title: "Condition adherence",
 *   comparisonText: text, // from et.formatComparisonTable
 *   rows: analysis.rows,
 *   modeRecords: et.modeSummaryRecords(extended),
 *   sections: et.referenceReportSections(reference),
 *   facts: [["Experiment folder", config.paths.exp]],
 * });
 * await fs.promises.writeFile("report.html", html);
 * ```
 */
export function renderReportHtml(input: ReportInput): string {
  const facts = input.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  const rowsTable =
    input.rows.length > 0
      ? tableHtml(tablePayload(input.rows, { title: 'Result rows (model, mode, emotion, key, subset)' }))
      : '<p class="muted">No result rows.</p>';
  // Error bars are the 95% intervals of the extended results where given, else a normal interval over rows.
  const chartRows = input.modeRecords && input.modeRecords.length > 0 ? input.modeRecords : input.rows;
  const chart =
    chartRows.length > 0
      ? chartFallbackHtml(
          adherenceByModeFigure(chartRows, {
            title: input.modeRecords ? 'Adherence by mode (95% intervals)' : undefined,
            reference: input.reference,
          }),
        )
      : '';
  const failures =
    input.failures && input.failures.length > 0
      ? `<h2>Runs that did not succeed (${input.failures.length})</h2><pre>${escapeHtml(input.failures.join('\n'))}</pre>`
      : '';
  const problems =
    input.problems && input.problems.length > 0
      ? `<h2>Analysis problems: files counted in no figure (${input.problems.length})</h2><pre>${escapeHtml(input.problems.join('\n'))}</pre>`
      : '';
  const extra = (input.sections ?? []).map((s) => `<h2>${escapeHtml(s.heading)}</h2>${s.html}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(input.title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="muted">EmoTune Lab report, generated ${escapeHtml((input.generatedAt ?? new Date()).toISOString())}</p>
<dl>${facts}</dl>
<h2>Adherence comparison by mode</h2>
<pre>${escapeHtml(input.comparisonText)}</pre>
<h2>Adherence by mode</h2>
${chart}
${extra}
<h2>All result rows</h2>
${rowsTable}
${failures}
${problems}
</body></html>
`;
}
