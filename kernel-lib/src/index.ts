/**
 * @emotune/kernel-lib: what a notebook calls, in the order of a notebook (load, plan, run, analyse, show).
 *
 * ```ts
 * import * as et from "@emotune/kernel-lib";
 * ```
 *
 * Every stage's full API stays reachable through its subpath (`@emotune/kernel-lib/config`, `/vocab`, `/plan`,
 * `/generate`, `/run`, `/formats`, `/metrics`, `/aggregate`, `/reference`, `/display`, `/errors`, `/paths`);
 * `test/types/public-api.test.ts` keeps this list and the notebooks in step.
 */

// Setup: a config, its experiment folder, the models' vocabularies.
export { loadConfig, withExperimentFolder, type LoadedConfig } from './config/index.js';
export type { EvaluationConfig, ModelConfig, ClassifierConfig, InferenceMode } from './config/index.js';
export { embeddedDir } from './package-paths.js';
export { notebookPaths } from './config/notebook-paths.js';
export { loadModelVocabularies } from './vocab/index.js';
export type { Word2Event } from './formats/types.js';

// Plan and run: the grid as data, executed with progress and interrupt.
export { buildPlan, configurationBanner } from './plan/index.js';
export type { RunPlan, PlannedRun } from './plan/index.js';
export { runPlan, abortOnInterrupt, runSummaryLines, readRunsMetadata, metadataPath } from './run/index.js';
export { failedRunLines } from './run/failure-lines.js';
export { runEmbeddedGenerator } from './generate/embedded/generate-songs.js';
export type { RunPlanOptions, RunPlanResult, RunRecord, ProgressEvent, InterruptHandle } from './run/index.js';
export { createRunProgressDisplay } from './display/progress-events.js';
export type { ProgressDisplay } from './display/progress.js';

// Analysis: result rows, the comparison table, the extended results and the real-music reference.
export {
  analyzeExperiment,
  resolveOutDir,
  type AnalyzeOptions,
  type AnalysisResult,
} from './aggregate/analyze-experiment.js';
export { writeResultsFile, readResultsFile, type ResultRow } from './aggregate/rows.js';
export { formatComparisonTable, type ComparisonTableOptions } from './aggregate/comparison-table.js';
export {
  collectExtendedInputs,
  buildExtendedResults,
  writeExtendedResults,
  type ExtendedResults,
} from './aggregate/extended-results.js';
export { extendedResultsOfAnalysis } from './aggregate/extended-analysis.js';
export { withAnalysisProblems, problemLines } from './aggregate/problems.js';
export { clusterBootstrapRatio } from './stats/cluster-bootstrap.js';
export { listMidiFiles } from './metrics/edge/run-emotion-key.js';
export { attachReference, type ExtendedResultsWithReference } from './reference/collect.js';
export { referenceTables, referenceReportSections, type ReferenceTable } from './reference/tables.js';
export type { ReferenceBlock } from './reference/block.js';

// Display: rich outputs in JupyterLab (tables, piano-rolls, charts) and the HTML report.
export {
  showTable,
  showPianoRoll,
  showPianoRolls,
  showChart,
  showAdherenceByMode,
  showDistanceDistribution,
  showKeyHeatmap,
} from './display/show.js';
export { showComparison, type ComparisonOptions } from './display/comparison.js';
export { showMidiFile, showTokens, showRun, runRollItem, type RunRollOptions } from './display/sources.js';
export { modeSummaryRecords, pairedComparisonRecords, tokenFloorRecords } from './display/extended-tables.js';
export { showWarnings } from './display/warnings.js';
export { showRuns } from './display/runs.js';
export { runLines } from './display/run-lines.js';
export { showPianoRollsWithAudio } from './display/sources.js';
export { showEmotionConfusion } from './display/show.js';
export { confusionEntries } from './display/obey.js';
export { renderReportHtml, type ReportInput } from './display/report.js';
export type { TableOptions } from './display/table.js';
export type { NoteSource, PianoRollItem, PianoRollOptions } from './display/pianoroll.js';
export type { AdherenceByModeOptions, DistanceDistributionOptions } from './display/charts.js';
export type { PlotlyFigure, ResultRecord } from './display/types.js';

// Files and measures: MIDI, tokens, metadata; key detection, quality metrics, the built-in emotion classifier.
export { readMidi } from './formats/midi-read.js';
export { readNpy } from './formats/npy.js';
export { readMeta } from './formats/meta.js';
export type { MidiScore, MidiNote, IntArray, GenerationMeta } from './formats/types.js';
export { detectKeyWith, keyMethodNames, RECOMMENDED_KEY_METHOD } from './metrics/key-methods/methods.js';
export type { KeyMethodDetection } from './metrics/key-methods/detect.js';
export { qualityOfMidi, type QualityMetrics } from './metrics/quality/index.js';
export { readQualityMetrics } from './metrics/edge/quality-file.js';
export type { BuiltinEmotionPrediction } from './metrics/emotion-builtin/classify.js';
export { classifyScoreBuiltin, loadClassifier } from './metrics/edge/classifier-file.js';
export type { EmotionModel } from './metrics/emotion-builtin/model.js';

// Errors: every bad input is an EmotuneError naming the file, the field and what was expected.
export { EmotuneError, isEmotuneError, type EmotuneErrorDetails } from './errors.js';
