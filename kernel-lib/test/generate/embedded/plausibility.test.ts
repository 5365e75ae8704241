import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpToScore } from '../../../src/formats/cp-to-notes.js';
import type { MidiNote, MidiScore } from '../../../src/formats/types.js';
import type { CpModel } from '../../../src/generate/embedded/model.js';
import { loadModel } from '../../../src/generate/embedded/model-file.js';
import { performScore } from '../../../src/generate/embedded/performance.js';
import { type SongTexture, type TextureRanges, plausibility, songTexture } from '../../../src/metrics/plausibility.js';
import { seedFromText } from '../../../src/generate/embedded/sampler.js';
import { generateSong } from '../../../src/generate/embedded/song.js';
import { makeVocab } from '../../../src/generate/embedded/vocabulary.js';
import { readDictionaryPkl } from '../../../src/vocab/pickle.js';

const EMBEDDED = join(import.meta.dirname, '..', '..', '..', 'embedded');
const DICTS = join(EMBEDDED, 'dataset', 'co-representation');
/** EMOPIA train's 5-95 % ranges, derived by bench/embedded-generator.ts --write-ranges (the data is not read here). */
const RANGES: TextureRanges = JSON.parse(readFileSync(join(EMBEDDED, 'plausibility-ranges.json'), 'utf8'));

const note = (pitch: number, start: number, end: number, velocity = 64): MidiNote => ({
  pitch,
  start,
  end,
  velocity,
  channel: 0,
  track: 0,
});
const score = (notes: MidiNote[]): MidiScore => ({
  ticksPerBeat: 480,
  notes,
  tempos: [{ tick: 0, bpm: 120 }],
  timeSignatures: [],
  keySignatures: [],
  drumChannels: [],
  maxTick: 0,
});

describe('texture features', () => {
  it('counts notes per attack tick, an empty first bar and bass clusters', () => {
    const t = songTexture(
      score([
        note(60, 1920, 2400),
        note(64, 1920, 2400),
        note(67, 2400, 2880),
        note(40, 2880, 3360),
        note(41, 2880, 3360),
      ]),
    )!;
    expect(t.notes_per_onset).toBeCloseTo(5 / 3);
    expect(t.first_bar_empty).toBe(true);
    expect(t.bass_clusters).toBe(1);
    expect(t.max_polyphony).toBe(2);
    const u = songTexture(score([note(60, 0, 480), note(64, 3, 480), note(36, 480, 960), note(43, 480, 960)]))!;
    expect(u.notes_per_onset).toBe(4 / 3);
    expect(u.notes_per_attack_group).toBe(2);
    expect(u.first_bar_empty).toBe(false);
    expect(u.bass_clusters).toBe(0);
  });
});

describe('played timing (performScore)', () => {
  it('drops the leading empty bar, spreads a chord over distinct ticks, keeps durations, and repeats for the same seed', () => {
    const timing = {
      position: new Array(121).fill(0).map((_, i) => (i === 60 ? 5 : i === 70 ? 5 : 0)),
      spread: new Array(121).fill(0).map((_, i) => (i >= 5 && i <= 20 ? 1 : 0)),
    };
    const grid = score([note(72, 1920, 2400), note(64, 1920, 2880), note(55, 1920, 2160)]);
    const a = performScore(grid, timing, 7);
    expect(Math.min(...a.notes.map((n) => n.start))).toBeLessThan(1920);
    expect(new Set(a.notes.map((n) => n.start)).size).toBe(3);
    expect(a.notes.map((n) => n.end - n.start).sort()).toEqual([240, 480, 960]);
    expect(performScore(grid, timing, 7)).toEqual(a);
  });
});

describe('generated songs look like EMOPIA piano clips (fixed seeds, 8 per quadrant)', () => {
  let models: CpModel[];
  beforeAll(async () => {
    models = [
      await loadModel(
        join(EMBEDDED, 'checkpoints', 'loss_pre_params.json'),
        makeVocab((await readDictionaryPkl(join(DICTS, 'dictionary.pkl'))).word2event),
      ),
      await loadModel(
        join(EMBEDDED, 'checkpoints', 'loss_8_params.json'),
        makeVocab((await readDictionaryPkl(join(DICTS, 'train_dictionary.pkl'))).word2event),
      ),
    ];
  });

  it.each([0, 1])(
    'model %i: >= 85 % of (song, feature) pairs in range, <= 1.4 notes per onset, no empty first bar, bass clusters as rare as in EMOPIA',
    (m) => {
      const model = models[m]!;
      const textures = [];
      for (let q = 1; q <= 4; q++) {
        for (let i = 0; i < 8; i++) {
          const seed = seedFromText(`plausibility:${q}:${i}`);
          const song = generateSong(model, {
            mode: 'inference-primed',
            emotion: q,
            conditions: {},
            force: {},
            seed,
            maxSteps: 1000,
          });
          textures.push(
            songTexture(
              performScore(cpToScore(song.rows, model.vocab.order, model.vocab.word2event), model.data.timing, seed),
            )!,
          );
        }
      }
      const r = plausibility(textures, RANGES);
      expect(r.inRange).toBeGreaterThanOrEqual(0.85);
      expect(r.notesPerOnset).toBeLessThanOrEqual(1.4);
      expect(r.firstBarEmpty).toBe(0);
      expect(r.bassClusterShare).toBeLessThanOrEqual(RANGES.ranges.bass_clusters_per_onset[1]);
    },
    60_000,
  );

  // EMOPIA train through the CP path, mean per clip by arousal (printed by bench/embedded-generator.ts).
  const TRAIN_BY_AROUSAL = {
    high: { duration_median: 1.04, onsets_per_beat: 2.44 },
    low: { duration_median: 1.95, onsets_per_beat: 1.6 },
  };

  it.each([0, 1])(
    'model %i: songs requested high and low arousal hold notes and start onsets like EMOPIA train clips of that arousal',
    (m) => {
      const model = models[m]!;
      const by = { high: [] as SongTexture[], low: [] as SongTexture[] };
      for (let q = 1; q <= 4; q++) {
        for (let i = 0; i < 8; i++) {
          const seed = seedFromText(`arousal:${q}:${i}`);
          const song = generateSong(model, {
            mode: 'inference-primed',
            emotion: q,
            conditions: {},
            force: {},
            seed,
            maxSteps: 1000,
          });
          by[q <= 2 ? 'high' : 'low'].push(
            songTexture(
              performScore(cpToScore(song.rows, model.vocab.order, model.vocab.word2event), model.data.timing, seed),
            )!,
          );
        }
      }
      const mean = (xs: SongTexture[], k: 'duration_median' | 'onsets_per_beat') =>
        xs.reduce((a, t) => a + t[k], 0) / xs.length;
      for (const a of ['high', 'low'] as const) {
        // Songs written busier and shorter-noted than the data (a nucleus cut on rhythm, quadrant-blind note length) fail here.
        expect(mean(by[a], 'duration_median') / TRAIN_BY_AROUSAL[a].duration_median).toBeGreaterThan(0.75);
        expect(mean(by[a], 'duration_median') / TRAIN_BY_AROUSAL[a].duration_median).toBeLessThan(1.33);
        expect(Math.abs(mean(by[a], 'onsets_per_beat') / TRAIN_BY_AROUSAL[a].onsets_per_beat - 1)).toBeLessThan(0.12);
      }
    },
    60_000,
  );
});
