import { basename } from 'node:path';
import type { AnalysisProblem } from './analyze-experiment.js';
import type { ExtendedResults } from './extended-results.js';

/**
 * Analysis problems (a classifier that failed for a file, output it could not parse, unreadable files,
 * missing condition fields) listed per file wherever results are shown: the console, under the comparison
 * table, in the report and in `problems` of the extended results. The reference notebook's results file is never
 * changed: a file with a problem simply counts in no figure there.
 */

/** One problem as written to `evaluation_results_extended.json` and shown in the report. */
export interface ProblemRecord {
  file: string;
  /** `token`, `emotion`, `key` (analysis) or `extended` (reading files for the extended figures). */
  stage: string;
  reason: string;
  /** The run folder's name, when known. */
  run?: string;
}

export function problemRecords(problems: readonly AnalysisProblem[]): ProblemRecord[] {
  return problems.map((p) => ({ file: p.file, stage: p.stage, reason: p.reason, run: basename(p.run.out_dir) }));
}

/**

 * Analysis problems first, then the extended reader's own (each file and reason once).
 * @example
 * ```ts
 * const complete = et.withAnalysisProblems(extended, analysis.problems);
 * console.log(`${complete.problems.length} file(s) count in no figure`);
 * ```
 */
export function withAnalysisProblems(extended: ExtendedResults, problems: readonly AnalysisProblem[]): ExtendedResults {
  const seen = new Set<string>();
  const merged: ProblemRecord[] = [];
  for (const p of [...problemRecords(problems), ...extended.problems.map((p) => ({ stage: 'extended', ...p }))]) {
    const k = `${p.file}\u0000${p.reason}`;
    if (seen.has(k)) continue;
    seen.add(k);
    merged.push(p);
  }
  return { ...extended, problems: merged };
}

/** What problems are about: files, or also run folders (a path without a file extension: a listing or a missing folder). */
export function problemUnits(problems: readonly Pick<ProblemRecord, 'file'>[]): string {
  return problems.every((p) => /\.(midi?|json|npy|pkl)$/i.test(p.file)) ? 'file(s)' : 'file(s) or run folder(s)';
}

/** Counts per stage, in a fixed order, e.g. `emotion 3, key 1`. */
export function problemCounts(problems: readonly Pick<ProblemRecord, 'stage'>[]): string {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.stage, (counts.get(p.stage) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

/**

 * The console list: a header and one line per file (stage, file, reason). Empty when there is none.
 * @example
 * ```ts
 * console.log(et.problemLines(analysis.problems).join("\n"));
 * ```
 */
export function problemLines(problems: readonly AnalysisProblem[] | readonly ProblemRecord[]): string[] {
  if (problems.length === 0) return [];
  return [
    `ANALYSIS PROBLEMS: ${problems.length} ${problemUnits(problems)} count in no figure of their stage (${problemCounts(problems)}):`,
    ...problems.map((p) => `  [${p.stage}] ${p.file}: ${p.reason}`),
    '',
  ];
}

/** The line under the comparison table: how many files the figures above leave out, and where they are listed. */
export function problemsFooter(problems: readonly { stage: string; file: string }[], extendedFile?: string): string[] {
  if (problems.length === 0) return [];
  return [
    `Note: ${problems.length} analysis problem(s) (${problemCounts(problems)}): those ${problemUnits(problems).replace(/\(s\)/g, 's')} count in no figure of their stage above.`,
    `      Each is listed above under ANALYSIS PROBLEMS${extendedFile ? ` and in "problems" of ${extendedFile}` : ''}.`,
    '',
  ];
}
