import { buildPlan } from '../plan/build-plan.js';
import { configurationBanner } from '../plan/banner.js';
import { runPlan, type RunPlanResult } from '../run/run-plan.js';
import { runSummaryLines } from '../run/summary.js';
import { selectBackend } from '../run/select-backend.js';
import type { EvaluationContext } from './context.js';
import { printLines } from './context.js';
import { abortOnInterrupt } from '../run/interrupt.js';
import { createProgressBar } from './progress-bar.js';

export interface RunPhaseOptions {
  concurrency?: number;
  rerunFailed?: boolean;
  fresh?: boolean;
  /** Print the seed's per-run lines (default when stdout is not a terminal). */
  lines?: boolean;
}

/** Plan and run the grid as the seed's generation cells do, with a progress bar on a terminal. */
export async function runPhase(ctx: EvaluationContext, opts: RunPhaseOptions): Promise<RunPlanResult> {
  const { config, word2eventByModel } = ctx;
  const plan = buildPlan(config, word2eventByModel);
  printLines(configurationBanner(config, plan.total));
  const seedLines = opts.lines ?? !process.stderr.isTTY;
  const bar = seedLines ? undefined : createProgressBar();
  const interrupt = abortOnInterrupt({
    exitOnSecond: true,
    onFirst: () => process.stderr.write('\nemotune: cancelling: no new runs; stopping running generators (Ctrl-C again to quit at once)\n'),
  });
  try {
    const result = await runPlan({
      config,
      plan,
      word2eventByModel,
      backend: selectBackend(config),
      concurrency: opts.concurrency,
      rerunFailed: opts.rerunFailed,
      fresh: opts.fresh,
      signal: interrupt.signal,
      onProgress: bar?.onProgress,
      onLine: seedLines ? (l) => process.stdout.write(`${l}\n`) : undefined,
    });
    bar?.stop();
    if (!seedLines) {
      for (const r of result.records) if (r.status !== 'ok' && r.status !== undefined) printLines([`  [${r.index}] ${r.out_dir}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`]);
    }
    printLines(runSummaryLines(result.records, result.metadataFile));
    if (result.skipped > 0) printLines([`(${result.skipped} run(s) reused from an earlier invocation; ${result.ran} run now)`, '']);
    if (result.cancelled) process.stderr.write('emotune: cancelled; finished runs are kept in all_runs_metadata.json (re-run to finish the rest)\n');
    return result;
  } finally {
    interrupt.dispose();
    bar?.stop();
  }
}

import { dirname, join } from 'node:path';
import { analyzeExperiment } from '../aggregate/analyze-experiment.js';
import { formatComparisonTable } from '../aggregate/comparison-table.js';
import { writeResultsFile, type ResultRow } from '../aggregate/rows.js';
import { buildExtendedResults, collectExtendedInputs, writeExtendedResults } from '../aggregate/extended-results.js';
import type { RunRecord } from '../run/types.js';
import { attachReference, type ExtendedResultsWithReference } from '../reference/collect.js';
import { analysisHeader, tokenAnalysisSummary, emotionKeySummary, aggregationLines } from './analysis-lines.js';

export const RESULTS_FILE = 'evaluation_results_comprehensive.json';
export const EXTENDED_RESULTS_FILE = 'evaluation_results_extended.json';

export interface AnalyzePhaseResult {
  rows: ResultRow[];
  resultsFile: string;
  extendedFile: string;
  extended: ExtendedResultsWithReference;
  problems: number;
}

/** The seed's analysis and aggregation cells: reads run folders, writes the results file. */
export async function analyzePhase(ctx: EvaluationContext, expDir: string, runs: RunRecord[], out?: string): Promise<AnalyzePhaseResult> {
  printLines(analysisHeader());
  const result = await analyzeExperiment({
    expDir,
    runs,
    word2eventByModel: ctx.word2eventByModel,
    classifier: ctx.config.classifier,
    onLine: (line) => process.stdout.write(`${line}\n`),
  });
  printLines(tokenAnalysisSummary(result.tokenReports.length));
  printLines(emotionKeySummary(result.emotionKeyReports.length));
  const resultsFile = out ?? join(expDir, RESULTS_FILE);
  await writeResultsFile(resultsFile, result.rows);
  printLines(aggregationLines(resultsFile, result.rows.length));
  // Beside the seed's file: note-level adherence, intervals, paired mode comparisons, quality metrics.
  const extended = buildExtendedResults(await collectExtendedInputs(result, { expDir, word2eventByModel: ctx.word2eventByModel }), { seed: ctx.config.random_seed });
  await attachReference(extended, result, { expDir, classifier: ctx.config.classifier, seed: ctx.config.random_seed });
  const extendedFile = join(dirname(resultsFile), EXTENDED_RESULTS_FILE);
  await writeExtendedResults(extendedFile, extended);
  printLines([`Extended results (intervals, note-level adherence, quality metrics) saved to: ${extendedFile}`, '']);
  return { rows: result.rows, resultsFile, extendedFile, extended, problems: result.problems.length };
}

/** The seed's comparison table for the config's models, modes and tokens. */
export function comparisonTable(ctx: EvaluationContext, rows: readonly ResultRow[]): string {
  const { config } = ctx;
  return formatComparisonTable(rows, {
    models: config.models.map((m) => m.name),
    modes: config.modes,
    tokensOfInterest: config.tokens_of_interest,
    keyAwareModels: config.models.filter((m) => m.key_aware).map((m) => m.name),
  });
}
