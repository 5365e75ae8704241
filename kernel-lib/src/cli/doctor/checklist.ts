/** The doctor's checklist: one item per check, each failure with its cause and the fix. */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckItem {
  /** Stable id for CI, e.g. `config`, `paths.dataset_root`, `run.scratch.inference-primed`. */
  id: string;
  status: CheckStatus;
  /** What was checked and what was found, one line. */
  title: string;
  /** Why it failed: the error, or the first lines of the generator's stderr. */
  cause?: string[];
  /** What to change. */
  fix?: string;
}

export interface DoctorReport {
  config: string;
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: CheckItem[];
  /** Where the test runs wrote (kept with --keep). */
  scratch?: string;
}

const MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

export function summarize(config: string, checks: CheckItem[], scratch?: string): DoctorReport {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return { config, ok: counts.fail === 0, counts, checks, scratch };
}

/** The checklist as terminal lines. */
export function formatDoctorReport(r: DoctorReport): string[] {
  const lines = [`emotune doctor: ${r.config}`, ''];
  for (const c of r.checks) {
    lines.push(`${MARK[c.status]} ${c.title}`);
    for (const l of c.cause ?? []) lines.push(`    | ${l}`);
    if (c.fix) lines.push(`    fix: ${c.fix}`);
  }
  lines.push('');
  const { pass, fail, warn, skip } = r.counts;
  lines.push(
    `${r.checks.length} checks: ${pass} passed, ${fail} failed, ${warn} warning(s)${skip ? `, ${skip} skipped` : ''}.`,
  );
  if (r.scratch) lines.push(`Test runs kept in: ${r.scratch}`);
  lines.push(
    r.ok
      ? 'Ready: `emotune evaluate --config <this config>` should run the grid.'
      : 'Not ready: fix each ✗ above (docs/generator-contract.md explains every output and check), then run `emotune doctor` again.',
  );
  return lines;
}
