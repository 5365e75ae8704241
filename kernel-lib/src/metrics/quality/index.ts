import type { MidiScore } from '../../formats/types.js';
import { adjustResolution, readMuspyMusic } from './muspy-read.js';
import { pitchClassEntropy, pitchRange, polyphony, scaleConsistency } from './pitch-metrics.js';
import { emptyBeatRate, grooveConsistency, noteDensity } from './rhythm-metrics.js';
import { musicView, scoreView, type ScoreView } from './score-view.js';

export * from './score-view.js';
export * from './muspy-read.js';
export * from './pitch-metrics.js';
export * from './rhythm-metrics.js';

/** The music-quality figures reported beside adherence (NaN where a metric is undefined for the file). */
export interface QualityMetrics {
  pitch_class_entropy: number;
  scale_consistency: number;
  pitch_range: number;
  polyphony: number;
  empty_beat_rate: number;
  groove_consistency: number;
  note_density: number;
}

export const QUALITY_METRIC_NAMES = [
  'pitch_class_entropy',
  'scale_consistency',
  'pitch_range',
  'polyphony',
  'empty_beat_rate',
  'groove_consistency',
  'note_density',
] as const satisfies readonly (keyof QualityMetrics)[];

export interface QualityOptions {
  /**
   * Ticks per beat to rescale to before measuring (muspy's `adjust_resolution`); default 24, muspy's
   * default resolution, so groove consistency compares across files with different PPQ. Pass null to keep
   * the file's own resolution.
   */
  resolution?: number | null;
}

/** The resolution the quality metrics are measured at (muspy's default resolution). */
export const QUALITY_RESOLUTION = 24;

/**
 * All quality metrics of a MIDI file's bytes, exactly as muspy computes them: `muspy.read_midi` (first-in
 * first-out note pairing, notes left open closed at the track end), `adjust_resolution(24)` (onset and end
 * rounded half-to-even), then the metric functions. The file name is only for error messages.
 * @example
 * ```ts
 * const q = et.qualityOfMidi(await fs.promises.readFile("song.mid"), "song.mid");
 * console.log(q.pitch_class_entropy, q.polyphony);
 * ```
 */
export function qualityOfMidi(
  bytes: Uint8Array,
  file?: string,
  options: QualityOptions & { maxBeats?: number } = {},
): QualityMetrics {
  const raw = readMuspyMusic(bytes, file);
  const target = options.resolution === null ? undefined : (options.resolution ?? QUALITY_RESOLUTION);
  return metricsOfView(
    musicView(target === undefined ? raw : adjustResolution(raw, target), { file, maxBeats: options.maxBeats }),
  );
}

/**
 * The quality metrics of an already paired score (pretty_midi pairing): muspy's definitions on those
 * notes. A file whose note pairing is ambiguous gets muspy's values only through `qualityOfMidi`.
 */
export function qualityMetrics(score: MidiScore, options: QualityOptions = {}): QualityMetrics {
  return metricsOfView(
    scoreView(score, options.resolution === null ? undefined : (options.resolution ?? QUALITY_RESOLUTION)),
  );
}

function metricsOfView(v: ScoreView): QualityMetrics {
  return {
    pitch_class_entropy: pitchClassEntropy(v),
    scale_consistency: scaleConsistency(v),
    pitch_range: pitchRange(v),
    polyphony: polyphony(v),
    empty_beat_rate: emptyBeatRate(v),
    groove_consistency: grooveConsistency(v),
    note_density: noteDensity(v),
  };
}
