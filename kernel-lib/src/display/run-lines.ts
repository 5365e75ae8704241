/**
 * One short line per run for the notebook, under the progress bar: its place in the plan, its id, its
 * conditions in words, how it ended and how long it took. The full command lines stay in the seed's lines
 * (`runPlan`'s `onLine`) and in `all_runs_metadata.json`; printed in a notebook they wrap over several lines.
 */
import { plainCondition } from './runs.js';

export interface RunLineRecord {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  conditions: Record<string, string>;
  id: string;
  index: number;
  status?: string;
  returncode: number;
  reason?: string;
  duration_s: number;
}

function outcome(r: RunLineRecord): string {
  if (r.status === undefined || r.status === 'ok') return r.returncode === 0 ? '✓ ok' : `✗ exit code ${r.returncode}`;
  if (r.status === 'invalid') return `✗ invalid output${r.reason ? `: ${r.reason}` : ''}`;
  if (r.status === 'failed') return `✗ exit code ${r.returncode}`;
  return `✗ ${r.status}`;
}

/** `[3/96] 485a911a2e scratch / inference-primed, Q1, key A:maj, duration 1080 ticks (2.25 beats): ✓ ok, 0.7 s` */
export function runLine(r: RunLineRecord, total: number): string {
  const what = [
    `Q${r.emotion}`,
    ...(r.key ? [`key ${r.key}`] : []),
    ...Object.values(r.conditions ?? {}).map((l) => plainCondition(l)),
  ].join(', ');
  const time = Number.isFinite(r.duration_s) ? `, ${r.duration_s.toFixed(1)} s` : '';
  return `[${r.index}/${total}] ${r.id} ${r.model} / ${r.mode}, ${what}: ${outcome(r)}${time}`;
}

/**
 * Short lines for the first `limit` runs (default 12) in plan order and a closing line with how many are left
 * out; failed runs beyond the limit are listed too, so none hides behind "more".
 * @example
 * ```ts
 * console.log(et.runLines(run.records).join("\n"));
 * ```
 */
export function runLines(records: readonly RunLineRecord[], options: { limit?: number } = {}): string[] {
  const limit = options.limit ?? 12;
  const total = records.length;
  const ordered = [...records].sort((a, b) => a.index - b.index);
  const shown = ordered.filter((r, i) => i < limit || outcome(r) !== '✓ ok');
  const lines = shown.map((r) => runLine(r, total));
  if (shown.length < total) lines.push(`... and ${total - shown.length} more runs, all ✓ ok (all_runs_metadata.json)`);
  return lines;
}
