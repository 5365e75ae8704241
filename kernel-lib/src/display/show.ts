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

export function showTable(rows: readonly ResultRecord[], options: TableOptions = {}): void {
  publishDisplay(tableBundle(rows, options));
}

export function showPianoRoll(notes: NoteSource, options: PianoRollOptions = {}): void {
  publishDisplay(pianoRollBundle(notes, options));
}

export function showPianoRolls(items: readonly PianoRollItem[], options: { title?: string; layout?: 'stacked' | 'grid' } = {}): void {
  publishDisplay(pianoRollsBundle(items, options));
}

export function showChart(figure: PlotlyFigure): void {
  publishDisplay(chartBundle(figure));
}

export function showAdherenceByMode(rows: readonly ResultRecord[], options: AdherenceByModeOptions = {}): void {
  showChart(adherenceByModeFigure(rows, options));
}

export function showDistanceDistribution(rows: readonly ResultRecord[], options: DistanceDistributionOptions = {}): void {
  showChart(distanceDistributionFigure(rows, options));
}

export function showKeyHeatmap(records: readonly ResultRecord[], options: { title?: string } = {}): void {
  showChart(keyHeatmapFigure(records, options));
}

/** The emotion requested x detected heatmaps, one per model and mode, with arousal and valence agreement. */
export function showEmotionConfusion(entries: readonly ConfusionEntry[], options: { title?: string } = {}): void {
  showChart(emotionConfusionFigure(entries, options));
}
