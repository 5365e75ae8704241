// A second, deliberately simple emotion judge for the embedded generator's report: two logistic regressions
// (arousal, valence) on five MIDI features, fitted on EMOPIA train only. It shares no code with the built-in
// classifier, so agreement with both is not one model's quirk.
import type { MidiScore } from '../../kernel-lib/src/formats/types.js';
import { detectKey } from '../../kernel-lib/src/metrics/key-methods/detect.js';
import { songTexture } from '../../kernel-lib/src/metrics/plausibility.js';

export const JUDGE_FEATURES = [
  'notes_per_beat',
  'velocity_mean',
  'pitch_mean',
  'log_duration_mean',
  'major_minor',
] as const;

/** The five features; undefined for a score without notes. */
export function judgeFeatures(score: MidiScore): number[] | undefined {
  const t = songTexture(score);
  if (!t) return undefined;
  const k = detectKey(score.notes, { correlation: 'pearson' });
  let maj = -Infinity;
  let min = -Infinity;
  for (const [name, s] of Object.entries(k.scores)) {
    if (name.endsWith(':maj')) maj = Math.max(maj, s);
    else min = Math.max(min, s);
  }
  return [t.notes_per_beat, t.velocity_mean, t.pitch_mean, Math.log(t.duration_mean), maj - min];
}

interface Head {
  w: number[];
  b: number;
}

export interface SimpleJudge {
  mean: number[];
  std: number[];
  arousal: Head;
  valence: Head;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Full-batch gradient descent on the mean log loss plus L2 (deterministic: no randomness). */
function fitHead(x: number[][], y: number[], l2 = 0.01, steps = 3000, rate = 0.5): Head {
  const d = x[0]!.length;
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let it = 0; it < steps; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < x.length; i++) {
      const e = sigmoid(x[i]!.reduce((s, v, j) => s + v * w[j]!, b)) - y[i]!;
      for (let j = 0; j < d; j++) gw[j]! += e * x[i]![j]!;
      gb += e;
    }
    for (let j = 0; j < d; j++) w[j]! -= rate * (gw[j]! / x.length + l2 * w[j]!);
    b -= (rate * gb) / x.length;
  }
  return { w, b };
}

/** Fit on feature rows and quadrants 1..4 (EMOPIA: Q1 high/high, Q2 low valence/high arousal, Q3 low/low, Q4 high valence/low arousal). */
export function fitSimpleJudge(rows: number[][], quadrants: number[]): SimpleJudge {
  const d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const std = Array.from(
    { length: d },
    (_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length) || 1,
  );
  const z = rows.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
  return {
    mean,
    std,
    arousal: fitHead(
      z,
      quadrants.map((q) => (q <= 2 ? 1 : 0)),
    ),
    valence: fitHead(
      z,
      quadrants.map((q) => (q === 1 || q === 4 ? 1 : 0)),
    ),
  };
}

/** Quadrant of a feature row: high/low arousal and valence each at P = 0.5. */
export function judgeQuadrant(judge: SimpleJudge, row: number[]): 1 | 2 | 3 | 4 {
  const z = row.map((v, j) => (v - judge.mean[j]!) / judge.std[j]!);
  const a = sigmoid(z.reduce((s, v, j) => s + v * judge.arousal.w[j]!, judge.arousal.b)) >= 0.5;
  const v = sigmoid(z.reduce((s, x, j) => s + x * judge.valence.w[j]!, judge.valence.b)) >= 0.5;
  return a ? (v ? 1 : 2) : v ? 4 : 3;
}
