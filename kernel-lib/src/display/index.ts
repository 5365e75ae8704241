/** Notebook display: MIME bundles for tables, piano-rolls, charts and progress (see extension/README.md). */
export * from './types.js';
export { escapeHtml } from './escape.js';
export { setDisplaySink, publishDisplay, findKernelDisplayHook, newDisplayId } from './sink.js';
export type { DisplaySink, PublishOptions } from './sink.js';
export { tableBundle, tablePayload, tableHtml, tableText } from './table.js';
export type { TableOptions } from './table.js';
export {
  pianoRoll,
  pianoRollBundle,
  pianoRollsBundle,
  pianoRollSvg,
  pianoRollText,
  fitPitchRange,
  pitchName,
} from './pianoroll.js';
export type { NoteLike, NoteSource, HighlightSpec, PianoRollOptions, PianoRollItem } from './pianoroll.js';
export {
  chartBundle,
  adherenceByModeFigure,
  distanceDistributionFigure,
  keyHeatmapFigure,
  metricLabel,
  KEY_ORDER,
} from './charts.js';
export {
  emotionConfusion,
  confusionEntries,
  confusionMarginals,
  emotionConfusionFigure,
  shareWithInterval,
  escapePlotly,
  EMOTION_LABELS,
  QUADRANT_NAMES,
  MORE_IS_DARKER,
} from './obey.js';
export type { ConfusionEntry, EmotionReportLike } from './obey.js';
export type { AdherenceByModeOptions, DistanceDistributionOptions } from './charts.js';
export { chartFallbackHtml, chartText } from './chart-fallback.js';
export { createProgressDisplay, progressBundle, formatSeconds } from './progress.js';
export type { ProgressDisplay, ProgressState } from './progress.js';
export {
  showTable,
  showPianoRoll,
  showPianoRolls,
  showChart,
  showAdherenceByMode,
  showDistanceDistribution,
  showKeyHeatmap,
  showEmotionConfusion,
} from './show.js';
export { renderReportHtml, type ReportInput } from './report.js';
export { formatP, formatNumber, formatPercent, NUMBER_FORMATS } from './format.js';
export { referenceLevels, type ReferenceLike, type ReferenceLevel } from './reference-marks.js';
export { createRunProgressDisplay, progressStateFrom, type RunProgressState } from './progress-events.js';
export {
  modeSummaryRecords,
  pairedComparisonRecords,
  tokenFloorRecords,
  betterMode,
  metricDirection,
} from './extended-tables.js';
export {
  midiFileBundle,
  tokensBundle,
  conditionLabels,
  runRollItem,
  showMidiFile,
  showTokens,
  showRun,
  showPianoRollsWithAudio,
} from './sources.js';
export type { RunRollOptions, AudioOption } from './sources.js';
export { withAudio, rollWavBase64, audioPlayerHtml, MAX_EMBEDDED_AUDIO_S, EMBEDDED_AUDIO_RATE } from './audio.js';
export { comparisonRecords, comparisonBundle, showComparison } from './comparison.js';
export type { ComparisonOptions } from './comparison.js';
export { warningLines, warningsHtml, warningsBundle, showWarnings, METHODOLOGY_DOC } from './warnings.js';
export { runRecords, runsBundle, showRuns, plainCondition } from './runs.js';
export type { RunTableOptions } from './runs.js';
export { runLines, runLine, type RunLineRecord } from './run-lines.js';
export {
  compareExperiments,
  experimentComparisonRecords,
  experimentComparisonFigure,
  differenceInterval,
} from './compare-experiments.js';
export type { CompareOptions } from './compare-experiments.js';
export { reportFigureSections } from './report-figures.js';
export type { ReportFigureInput } from './report-figures.js';
