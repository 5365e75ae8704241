/** What notebook cells call: build a bundle and send it to the kernel (or the configured sink). */
import { adherenceByModeFigure, chartBundle, distanceDistributionFigure, keyHeatmapFigure } from './charts.js';
import type { AdherenceByModeOptions, DistanceDistributionOptions } from './charts.js';
import { emotionConfusionFigure } from './obey.js';
import type { ConfusionEntry } from './obey.js';
import { pianoRollBundle, pianoRollsBundle } from './pianoroll.js';
import type { NoteSource, PianoRollItem, PianoRollOptions } from './pianoroll.js';
import { publishDisplay } from './sink.js';
import { tableBundle } from './table.js';
import type { TableOptions } from './table.js';
import type { PlotlyFigure, ResultRecord } from './types.js';

/**
 * Shows records as a sortable, filterable table (percent, distance and `_ci` interval columns formatted).
 * @example
 * ```ts
 * et.showTable(analysis.rows, { title: "Result rows", filters: ["model", "mode", "emotion"] });
 * et.showTable(et.modeSummaryRecords(extended), { columns: ["model", "mode", "duration_adherence"] });
 * ```
 */
export function showTable(rows: readonly ResultRecord[], options: TableOptions = {}): void {
  publishDisplay(tableBundle(rows, options));
}

/**
 * Shows a piano-roll of a score or notes, optionally highlighting the notes that match a condition.
 * @example
 * ```ts
 * const score = await et.readMidi("song.mid");
 * et.showPianoRoll(score, { title: "song.mid", highlight: { conditions: { duration: "Note_Duration_1080" } } });
 * ```
 */
export function showPianoRoll(notes: NoteSource, options: PianoRollOptions = {}): void {
  publishDisplay(pianoRollBundle(notes, options));
}

/**
 * Shows several piano-rolls side by side on the same time and pitch axes (e.g. one grid cell across modes).
 * @example
 * ```ts
 * const items: et.PianoRollItem[] = [];
 * for (const file of files) items.push({ title: path.basename(file), notes: await et.readMidi(file) });
 * et.showPianoRolls(items, { title: "Same condition, three modes" });
 * ```
 */
export function showPianoRolls(
  items: readonly PianoRollItem[],
  options: { title?: string; layout?: 'stacked' | 'grid' } = {},
): void {
  publishDisplay(pianoRollsBundle(items, options));
}

/**
 * Shows a plotly figure (`{ data, layout }`), with a static fallback where the extension is missing.
 * @example
 * ```ts
 * et.showChart({ data: [{ type: "bar", x: ["a", "b"], y: [0.4, 0.7] }], layout: { title: { text: "Adherence" } } });
 * ```
 */
export function showChart(figure: PlotlyFigure): void {
  publishDisplay(chartBundle(figure));
}

/**
 * Bar chart of mean adherence per mode (and model), one series per `*_adherence` field, with 95% error bars.
 * @example
 * ```ts
 * et.showAdherenceByMode(analysis.rows, { title: "Adherence by mode" });
 * et.showAdherenceByMode(et.modeSummaryRecords(extended)); // error bars from the extended intervals
 * ```
 */
export function showAdherenceByMode(rows: readonly ResultRecord[], options: AdherenceByModeOptions = {}): void {
  showChart(adherenceByModeFigure(rows, options));
}

/**
 * Box plots (or histograms) of the `*_distance` fields of result rows, per mode.
 * @example
 * ```ts
 * et.showDistanceDistribution(analysis.rows, { metrics: ["duration_distance"], kind: "histogram" });
 * ```
 */
export function showDistanceDistribution(
  rows: readonly ResultRecord[],
  options: DistanceDistributionOptions = {},
): void {
  showChart(distanceDistributionFigure(rows, options));
}

/**
 * Heatmap of requested (rows) against detected (columns) keys, from records with `key` and `detected` or `key_distribution`.
 * @example
 * ```ts
 * const records = analysis.emotionKeyReports
 *   .filter((r) => r.key_adherence !== null && r.run.key)
 *   .map((r) => ({ key: r.run.key, key_distribution: r.key_adherence!.key_distribution }));
 * et.showKeyHeatmap(records, { title: "Requested versus detected key" });
 * ```
 */
export function showKeyHeatmap(records: readonly ResultRecord[], options: { title?: string } = {}): void {
  showChart(keyHeatmapFigure(records, options));
}

/**

 * The emotion requested x detected heatmaps, one per model and mode, with arousal and valence agreement.
 * @example
 * ```ts
 * et.showEmotionConfusion(et.confusionEntries(extended, analysis.emotionKeyReports), { title: "Requested (rows) versus detected (columns) emotion" });
 * ```
 */
export function showEmotionConfusion(entries: readonly ConfusionEntry[], options: { title?: string } = {}): void {
  showChart(emotionConfusionFigure(entries, options));
}
