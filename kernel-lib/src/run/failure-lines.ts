import { basename, join } from 'node:path';
import { STDERR_LOG } from './local-backend.js';
import type { RunRecord } from './types.js';

/** A run that produced usable outputs: exit code 0 and outputs that passed the contract's checks. */
export function runSucceeded(r: { returncode: number; status?: string }): boolean {
  return r.returncode === 0 && (r.status ?? 'ok') === 'ok';
}

/**
 * The line of a generator's stderr that names the cause: for a Python traceback its last line (the
 * exception), otherwise the first non-empty line. Empty when the generator printed nothing.
 */
export function stderrHeadline(stderr: string, max = 300): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  if (lines.length === 0) return '';
  const traceback = lines.findIndex((l) => l.startsWith('Traceback (most recent call last)'));
  let line = lines[0]!;
  if (traceback >= 0) {
    // The exception line is the first unindented line after the traceback's frames.
    line = lines.slice(traceback + 1).find((l) => !/^\s/.test(l)) ?? lines[lines.length - 1]!;
  }
  line = line.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**

 * One line per run that did not succeed: where, what, and the first line of its error.
 * @example
 * ```ts
 * console.log(et.failedRunLines(run.records).join("\n"));
 * ```
 */
export function failedRunLines(records: readonly RunRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    if (runSucceeded(r)) continue;
    const status = r.status ?? 'failed';
    const what = r.reason ?? `exit code ${r.returncode}`;
    let line = `  [${r.index ?? '?'}] ${basename(r.out_dir)}: ${status} (${what})`;
    if (status === 'failed' || status === 'timeout') {
      const head = r.stderr === 'TIMEOUT' ? '' : stderrHeadline(r.stderr ?? '');
      if (head) line += `\n      ${head}`;
      if (r.backend === 'local' || r.backend === undefined) line += `\n      full log: ${join(r.out_dir, STDERR_LOG)}`;
    }
    out.push(line);
  }
  return out;
}

/** The closing advice when runs did not succeed (stderr of `run` and `evaluate`). */
export function incompleteRunsAdvice(records: readonly RunRecord[], allowFailures: boolean): string | undefined {
  const bad = records.filter((r) => !runSucceeded(r)).length;
  if (bad === 0) return undefined;
  const head = `${bad} of ${records.length} run(s) did not succeed, so the results are incomplete`;
  return allowFailures
    ? `emotune: ${head} (--allow-failures: exit code 0)`
    : `emotune: ${head}. Fix the cause printed above for each run (\`emotune doctor --config <file>\` tries one run per model and mode), then re-run with --rerun-failed, or pass --allow-failures to accept incomplete results with exit code 0.`;
}
