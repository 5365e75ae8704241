import type { MidiScore } from '../../formats/types.js';
import { pitchClassEntropy, pitchRange, polyphony, scaleConsistency } from './pitch-metrics.js';
import { emptyBeatRate, grooveConsistency, noteDensity } from './rhythm-metrics.js';
import { scoreView } from './score-view.js';

export * from './score-view.js';
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

/** All quality metrics of one MIDI score. */
export function qualityMetrics(score: MidiScore, options: QualityOptions = {}): QualityMetrics {
  const v = scoreView(score, options.resolution === null ? undefined : (options.resolution ?? 24));
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
