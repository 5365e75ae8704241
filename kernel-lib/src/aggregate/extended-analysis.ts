import type { EvaluationConfig } from '../config/types.js';
import type { Word2Event } from '../formats/types.js';
import { loadClassifier } from '../metrics/edge/classifier-file.js';
import { buildPlan } from '../plan/build-plan.js';
import type { AnalysisResult } from './analyze-experiment.js';
import { buildExtendedResults, collectExtendedInputs, type ExtendedResults } from './extended-results.js';
import type { RunStatusLike } from './warnings.js';
import {
  isBuiltinClassifierCommand,
  isBuiltinGeneratorCommand,
  isCommittedClassifierCommand,
} from '../run/in-process/commands.js';

/**
 * The extended results of an analysis with everything its warnings need, as `emotune analyze` and the
 * notebook build them: the planned grid (missing cells), every run record (failed ones included), the
 * analysis' problems, and the classifier's training ranges. Classifier inputs are checked against the
 * built-in model's ranges for an external classifier too: the same features, the nearest available
 * description of the EMOPIA data emotion classifiers are trained on.
 * @example
 * ```ts
 * const ext = await et.extendedResultsOfAnalysis(analysis, { expDir: config.paths.exp, config: config, word2eventByModel: vocabs, runs: run.records });
 * et.showWarnings(ext);
 * ```
 */
export async function extendedResultsOfAnalysis(
  analysis: Pick<AnalysisResult, 'tokenReports' | 'emotionKeyReports' | 'problems'>,
  options: {
    expDir: string;
    config: EvaluationConfig;
    word2eventByModel: Record<string, Word2Event>;
    runs: readonly RunStatusLike[];
  },
): Promise<ExtendedResults> {
  const { config, word2eventByModel } = options;
  const classifier = config.classifier
    ? isBuiltinClassifierCommand(config.classifier.command)
      ? 'builtin'
      : 'external'
    : undefined;
  const inputs = await collectExtendedInputs(analysis, {
    expDir: options.expDir,
    word2eventByModel,
    classifierRanges: classifier ? loadClassifier().feature_ranges : undefined,
  });
  return buildExtendedResults(inputs, {
    seed: config.random_seed,
    runs: options.runs,
    planned: buildPlan(config, word2eventByModel).runs,
    analysisProblems: analysis.problems,
    classifier,
    generator: isBuiltinGeneratorCommand(config.generator.command) ? 'embedded' : 'external',
    committedClassifier: config.classifier !== undefined && isCommittedClassifierCommand(config.classifier.command),
  });
}
