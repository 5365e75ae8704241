import type { RunPlanResult } from '../run/run-plan.js';
import { failedRunLines, incompleteRunsAdvice, runSucceeded } from '../run/failure-lines.js';
import type { EvaluationContext } from './context.js';
import { printLines } from './context.js';

/**
 * The run phase's modules (the runner, its backends with worker threads and Slurm, the progress bar), loaded when
 * a command runs the grid: `emotune analyze` and `emotune table` start without them.
 */
const runPhaseModules = async () => {
  const [{ buildPlan }, { configurationBanner }, { runPlan }, { runSummaryLines }, { selectBackend }, interrupt, bar] =
    await Promise.all([
      import('../plan/build-plan.js'),
      import('../plan/banner.js'),
      import('../run/run-plan.js'),
      import('../run/summary.js'),
      import('../run/select-backend.js'),
      import('../run/interrupt.js'),
      import('./progress-bar.js'),
    ]);
  return {
    buildPlan,
    configurationBanner,
    runPlan,
    runSummaryLines,
    selectBackend,
    abortOnInterrupt: interrupt.abortOnInterrupt,
    createProgressBar: bar.createProgressBar,
  };
};

export interface RunPhaseOptions {
  concurrency?: number;
  rerunFailed?: boolean;
  fresh?: boolean;
  /** Print the reference notebook's per-run lines (default when stdout is not a terminal). */
  lines?: boolean;
  /** Each run's record as it finishes (while later runs still generate). */
  onRecord?: (record: RunRecord) => void;
}

/** Plan and run the grid as the reference notebook's generation cells do, with a progress bar on a terminal. */
export async function runPhase(ctx: EvaluationContext, opts: RunPhaseOptions): Promise<RunPlanResult> {
  const {
    buildPlan,
    configurationBanner,
    runPlan,
    runSummaryLines,
    selectBackend,
    abortOnInterrupt,
    createProgressBar,
  } = await runPhaseModules();
  const { config, word2eventByModel } = ctx;
  const plan = buildPlan(config, word2eventByModel);
  printLines(configurationBanner(config, plan.total));
  const referenceLines = opts.lines ?? !process.stderr.isTTY;
  const bar = referenceLines ? undefined : createProgressBar();
  const interrupt = abortOnInterrupt({
    exitOnSecond: true,
    onFirst: () =>
      process.stderr.write(
        '\nemotune: cancelling: no new runs; stopping running generators (Ctrl-C again to quit at once)\n',
      ),
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
      onProgress:
        opts.onRecord || bar
          ? (e) => {
              bar?.onProgress(e);
              if (e.type === 'record') opts.onRecord?.(e.record);
            }
          : undefined,
      onLine: referenceLines ? (l) => process.stdout.write(`${l}\n`) : undefined,
    });
    bar?.stop();
    printLines(runSummaryLines(result.records, result.metadataFile));
    const failed = failedRunLines(result.records);
    if (failed.length > 0)
      printLines([`Runs that did not succeed (${failed.length}), with the first line of each error:`, ...failed, '']);
    if (result.changed > 0)
      printLines([
        `(${result.changed} earlier run(s) not reused: the generator's command, arguments or working directory changed since they ran)`,
      ]);
    if (result.skipped > 0)
      printLines([`(${result.skipped} run(s) reused from an earlier invocation; ${result.ran} run now)`, '']);
    if (result.cancelled)
      process.stderr.write(
        'emotune: cancelled; finished runs are kept in all_runs_metadata.json (re-run to finish the rest)\n',
      );
    return result;
  } finally {
    interrupt.dispose();
    bar?.stop();
  }
}

/**
 * Exit code of `run`/`evaluate`: 130 when cancelled; 1 when a run failed or left invalid outputs, or the
 * analysis left files out (results incomplete), with the advice on stderr; 0 with --allow-failures.
 */
export function runExitCode(
  result: Pick<RunPlanResult, 'records' | 'cancelled'>,
  opts: { allowFailures?: boolean; problems?: readonly { file: string }[] } = {},
): number {
  if (result.cancelled) return 130;
  const advice = incompleteRunsAdvice(result.records, opts.allowFailures === true);
  if (advice) process.stderr.write(`${advice}\n`);
  const problems = opts.problems?.length ?? 0;
  if (problems > 0) {
    process.stderr.write(
      opts.allowFailures
        ? `emotune: ${problems} analysis problem(s) (listed under ANALYSIS PROBLEMS) (--allow-failures: exit code 0)\n`
        : `emotune: ${problems} ${problemUnits(opts.problems ?? [])} could not be analysed (listed under ANALYSIS PROBLEMS with their cause), so figures are incomplete; fix them and run \`emotune analyze\` again, or pass --allow-failures.\n`,
    );
  }
  if (opts.allowFailures) return 0;
  return result.records.every(runSucceeded) && problems === 0 ? 0 : 1;
}

import { dirname, join } from 'node:path';
import { analyzeExperiment, type AnalysisResult } from '../aggregate/analyze-experiment.js';
import type { MidiPrefetch } from '../aggregate/midi-prefetch.js';
import { formatComparisonTable } from '../aggregate/comparison-table.js';
import { writeResultsFile, type ResultRow } from '../aggregate/rows.js';
import { writeExtendedResults } from '../aggregate/extended-results.js';
import type { RunRecord } from '../run/types.js';
import { attachReference, type ExtendedResultsWithReference } from '../reference/collect.js';
import { extendedResultsOfAnalysis } from '../aggregate/extended-analysis.js';
import { warningLines } from '../display/warnings.js';
import { referenceAdherenceLines, tokenFloorLines } from '../display/extended-tables.js';
import { analysisHeader, tokenAnalysisSummary, emotionKeySummary, aggregationLines } from './analysis-lines.js';
import {
  problemLines,
  problemsFooter,
  problemUnits,
  withAnalysisProblems,
  type ProblemRecord,
} from '../aggregate/problems.js';

export const RESULTS_FILE = 'evaluation_results_comprehensive.json';
export const EXTENDED_RESULTS_FILE = 'evaluation_results_extended.json';

export interface AnalyzePhaseResult {
  rows: ResultRow[];
  resultsFile: string;
  extendedFile: string;
  extended: ExtendedResultsWithReference;
  /** Every file that counts in no figure (analysis problems first), as in the extended results. */
  problems: ProblemRecord[];
  /** Validity warnings raised (also in `extended.warnings`). */
  warnings: number;
  /** The per-run reports the rows came from (the report's heatmaps and rolls read them). */
  reports: Pick<AnalysisResult<RunRecord>, 'tokenReports' | 'emotionKeyReports'>;
}

/** The reference notebook's analysis and aggregation cells: reads run folders, writes the results file. */
export async function analyzePhase(
  ctx: EvaluationContext,
  expDir: string,
  runs: RunRecord[],
  out?: string,
  prefetch?: MidiPrefetch,
): Promise<AnalyzePhaseResult> {
  printLines(analysisHeader());
  const result = await analyzeExperiment({
    expDir,
    runs,
    word2eventByModel: ctx.word2eventByModel,
    classifier: ctx.config.classifier,
    prefetch,
    onLine: (line) => process.stdout.write(`${line}\n`),
  });
  printLines(tokenAnalysisSummary(result.tokenReports.length));
  printLines(emotionKeySummary(result.emotionKeyReports.length));
  const resultsFile = out ?? join(expDir, RESULTS_FILE);
  await writeResultsFile(resultsFile, result.rows);
  printLines(aggregationLines(resultsFile, result.rows.length));
  // Beside the reference notebook's file: note-level adherence, intervals, paired mode comparisons, quality metrics.
  const built = await extendedResultsOfAnalysis(result, {
    expDir,
    config: ctx.config,
    word2eventByModel: ctx.word2eventByModel,
    runs,
  });
  const extended = await attachReference(withAnalysisProblems(built, result.problems), result, {
    expDir,
    classifier: ctx.config.classifier,
    seed: ctx.config.random_seed,
  });
  const extendedFile = join(dirname(resultsFile), EXTENDED_RESULTS_FILE);
  await writeExtendedResults(extendedFile, extended);
  printLines([
    `Extended results (intervals, note-level adherence, quality metrics, warnings, reference) saved to: ${extendedFile}`,
    '',
  ]);
  printLines([...warningLines(extended.warnings), '']);
  const problems = extended.problems.map((p) => ({ ...p, stage: p.stage ?? 'extended' }));
  printLines(problemLines(problems));
  return {
    rows: result.rows,
    resultsFile,
    extendedFile,
    extended,
    problems,
    warnings: extended.warnings.length,
    reports: { tokenReports: result.tokenReports, emotionKeyReports: result.emotionKeyReports },
  };
}

/** Under the reference notebook's table: token figures against their floors, and how many files count in no figure. */
export function tableFooter(analysis: Pick<AnalyzePhaseResult, 'problems' | 'extendedFile' | 'extended'>): string[] {
  return [
    ...tokenFloorLines(analysis.extended),
    ...referenceAdherenceLines(analysis.extended),
    ...problemsFooter(analysis.problems, analysis.extendedFile),
  ];
}

/** `--strict`: results are written and printed, then the command fails (exit 1) when warnings were raised. */
export function failIfStrict(strict: boolean | undefined, warnings: number): void {
  if (!strict || warnings === 0) return;
  process.stderr.write(
    `emotune: --strict: ${warnings} validity warning(s) raised (listed above and in evaluation_results_extended.json)\n`,
  );
  if (!process.exitCode) process.exitCode = 1;
}

/** The reference notebook's comparison table for the config's models, modes and tokens. */
export function comparisonTable(ctx: EvaluationContext, rows: readonly ResultRow[]): string {
  const { config } = ctx;
  return formatComparisonTable(rows, {
    models: config.models.map((m) => m.name),
    modes: config.modes,
    tokensOfInterest: config.tokens_of_interest,
    keyAwareModels: config.models.filter((m) => m.key_aware).map((m) => m.name),
  });
}
