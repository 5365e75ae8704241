import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PIANOROLL_MIME,
  conditionLabels,
  midiFileBundle,
  runRollItem,
  setDisplaySink,
  showRun,
} from '../../src/display/index.js';
import type { MimeBundle, PianoRollPayloadV1 } from '../../src/display/index.js';
import { writeMidi } from '../../src/formats/midi-write.js';

let dir = '';
const word2event = {
  duration: { '0': 0, '1': 'Note_Duration_120', '2': 'Note_Duration_1080' },
  velocity: { '0': 0, '1': 'Note_Velocity_72' },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emotune-display-'));
  await writeMidi(join(dir, 'song.mid'), {
    ticksPerBeat: 480,
    notes: [
      { pitch: 60, velocity: 72, start: 0, end: 1080, channel: 0, track: 0 },
      { pitch: 62, velocity: 50, start: 480, end: 600, channel: 0, track: 0 },
    ],
  });
  await writeFile(
    join(dir, 'song.meta.json'),
    JSON.stringify({
      paths: { npy: 'song.npy', midi: 'song.mid' },
      inference_mode: 'inference-primed',
      conditions_indices: { duration: 2 },
      vocab_order: ['duration'],
    }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('piano-rolls from files', () => {
  it('reads a MIDI file, titled by its name', async () => {
    const b = await midiFileBundle(join(dir, 'song.mid'));
    const p = b.data[PIANOROLL_MIME] as PianoRollPayloadV1;
    expect(p.rolls[0]?.title).toBe('song.mid');
    expect(p.rolls[0]?.notes).toEqual([
      [60, 0, 1080, 72],
      [62, 480, 600, 50],
    ]);
  });

  it("highlights a run's notes matching its conditioned duration, through the vocabulary", async () => {
    const item = await runRollItem(join(dir, 'song.meta.json'), { word2event });
    expect(item.title).toBe('inference-primed');
    expect(item.highlight).toEqual({ conditions: { duration: 'Note_Duration_1080' } });
    const got: MimeBundle[] = [];
    const previous = setDisplaySink((b) => got.push(b));
    try {
      await showRun(join(dir, 'song.meta.json'), { word2event });
    } finally {
      setDisplaySink(previous);
    }
    expect((got[0]?.data[PIANOROLL_MIME] as PianoRollPayloadV1).rolls[0]?.highlight).toEqual({
      label: 'duration = 1080',
      notes: [0],
    });
  });

  it('maps condition and forced indices to labels, skipping unknown ones', () => {
    expect(
      conditionLabels({ conditions_indices: { duration: 1, pitch: 9 }, force_indices: { velocity: 1 } }, word2event),
    ).toEqual({
      duration: 'Note_Duration_120',
      velocity: 'Note_Velocity_72',
    });
  });
});
