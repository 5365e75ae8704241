// The notebook's show* functions that the notebooks do not call yet: each publishes one bundle of the right kind
// with what its arguments hold (captured through the display sink instead of the kernel).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PIANOROLL_MIME,
  PLOTLY_MIME,
  TABLE_MIME,
  setDisplaySink,
  showComparison,
  showDistanceDistribution,
  showMidiFile,
  showTokens,
} from '../../src/display/index.js';
import type { MimeBundle, PianoRollPayloadV1, PlotlyFigure, TablePayloadV1 } from '../../src/display/index.js';
import type { ResultRow } from '../../src/aggregate/rows.js';
import { EmotuneError } from '../../src/errors.js';
import { writeMidi } from '../../src/formats/midi-write.js';
import type { Word2Event } from '../../src/formats/types.js';
import { errorOf } from '../expect-error.js';

/** The bundles `show` publishes. */
async function published(show: () => void | Promise<void>): Promise<MimeBundle[]> {
  const got: MimeBundle[] = [];
  const previous = setDisplaySink((b) => got.push(b));
  try {
    await show();
  } finally {
    setDisplaySink(previous);
  }
  return got;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emotune-show-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('showComparison', () => {
  const row = (mode: string, duration_adherence: number, duration_distance: number): ResultRow => ({
    model: 'scratch',
    mode,
    emotion: 1,
    key: null,
    subset: ['duration'],
    duration_adherence,
    duration_distance,
  });

  it('publishes the comparison as a filterable table, one row per model, mode and token', async () => {
    const [bundle, ...rest] = await published(() =>
      showComparison(
        [row('inference-primed', 0.2, 600), row('inference-primed', 0.4, 800), row('inference-forced', 1, 0)],
        { tokensOfInterest: ['duration'], title: 'Mine' },
      ),
    );
    expect(rest).toEqual([]);
    const p = bundle?.data[TABLE_MIME] as TablePayloadV1;
    expect(p.title).toBe('Mine');
    expect(p.filters).toEqual(['model', 'mode', 'token']);
    expect(
      p.rows.map((r) => [
        r.values['mode'],
        r.values['token'],
        r.values['adherence'],
        r.values['distance'],
        r.values['rows'],
      ]),
    ).toEqual([
      ['inference-primed', 'duration', expect.closeTo(0.3, 9), 700, 2],
      ['inference-forced', 'duration', 1, 0, 1],
    ]);
  });
});

describe('showDistanceDistribution', () => {
  const rows = [
    { model: 'm', mode: 'primed', duration_distance: 100, velocity_distance: 5 },
    { model: 'm', mode: 'primed', duration_distance: 300 },
    { model: 'm', mode: 'forced', duration_distance: 0 },
  ];

  it('publishes a plotly figure of the chosen distance field, box plots per mode by default', async () => {
    const [bundle] = await published(() => showDistanceDistribution(rows, { metrics: ['duration_distance'] }));
    const f = bundle?.data[PLOTLY_MIME] as PlotlyFigure;
    expect(f.data.map((t) => [t['type'], t['name'], t['y']])).toEqual([
      ['box', 'primed', [100, 300]],
      ['box', 'forced', [0]],
    ]);
  });

  it('draws histograms when asked', async () => {
    const [bundle] = await published(() =>
      showDistanceDistribution(rows, { metrics: ['duration_distance'], kind: 'histogram' }),
    );
    const f = bundle?.data[PLOTLY_MIME] as PlotlyFigure;
    expect(f.data.map((t) => t['type'])).toEqual(['histogram', 'histogram']);
  });
});

describe('showMidiFile', () => {
  it("publishes the file's piano-roll, titled by its file name", async () => {
    const file = join(dir, 'tune.mid');
    await writeMidi(file, {
      ticksPerBeat: 480,
      notes: [
        { pitch: 64, velocity: 90, start: 0, end: 480, channel: 0, track: 0 },
        { pitch: 67, velocity: 70, start: 480, end: 960, channel: 0, track: 0 },
      ],
    });
    const [bundle] = await published(() => showMidiFile(file));
    const p = bundle?.data[PIANOROLL_MIME] as PianoRollPayloadV1;
    expect(p.rolls[0]?.title).toBe('tune.mid');
    expect(p.rolls[0]?.notes).toEqual([
      [64, 0, 480, 90],
      [67, 480, 960, 70],
    ]);
  });

  it('reports a missing file as an EmotuneError naming it, publishing nothing', async () => {
    const got: MimeBundle[] = [];
    const previous = setDisplaySink((b) => got.push(b));
    try {
      const e: unknown = await showMidiFile(join(dir, 'missing.mid')).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(EmotuneError);
      expect((e as Error).message).toContain('missing.mid');
    } finally {
      setDisplaySink(previous);
    }
    expect(got).toEqual([]);
  });
});

describe('showTokens', () => {
  // A minimal CP vocabulary: index 0 is padding in every column, as in EMOPIA's dictionaries.
  const word2event: Word2Event = {
    tempo: { '0': 0, '1': 'CONTI', '2': 'Tempo_100' },
    'bar-beat': { '0': 0, '1': 'Bar', '2': 'Beat_0', '3': 'Beat_4' },
    type: { '0': 'EOS', '1': 'Metrical', '2': 'Note' },
    pitch: { '0': 0, '1': 'Note_Pitch_60', '2': 'Note_Pitch_67' },
    duration: { '0': 0, '1': 'Note_Duration_480', '2': 'Note_Duration_120' },
    velocity: { '0': 0, '1': 'Note_Velocity_80' },
  };
  const order = ['tempo', 'bar-beat', 'type', 'pitch', 'duration', 'velocity'];

  it('decodes CP token rows through the vocabulary and publishes their piano-roll', async () => {
    const rows = [
      [1, 1, 1, 0, 0, 0], // Bar: bar 1 starts at tick 1920
      [2, 2, 1, 0, 0, 0], // Beat_0, tempo 100
      [0, 0, 2, 1, 1, 1], // C4, 480 ticks
      [1, 3, 1, 0, 0, 0], // Beat_4: + 4 * 120 ticks
      [0, 0, 2, 2, 2, 1], // G4, 120 ticks
      [0, 0, 0, 0, 0, 0], // padding
    ];
    const [bundle] = await published(() => showTokens(rows, order, word2event, { title: 'tokens' }));
    const p = bundle?.data[PIANOROLL_MIME] as PianoRollPayloadV1;
    expect(p.rolls[0]?.title).toBe('tokens');
    expect(p.rolls[0]?.ticksPerBeat).toBe(480);
    expect(p.rolls[0]?.notes).toEqual([
      [60, 1920, 2400, 80],
      [67, 2400, 2520, 80],
    ]);
  });

  it('names the unknown token index instead of drawing a wrong roll', () => {
    const e = errorOf(() => showTokens([[0, 0, 2, 9, 1, 1]], order, word2event));
    expect(e.field).toBe('rows[0][3] (pitch)');
    expect(e.found).toBe('9');
  });
});
