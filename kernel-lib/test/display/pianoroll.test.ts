import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import {
  PIANOROLL_MIME,
  fitPitchRange,
  pianoRoll,
  pianoRollBundle,
  pianoRollsBundle,
} from '../../src/display/index.js';
import type { PianoRollPayloadV1 } from '../../src/display/index.js';
import type { MidiScore } from '../../src/formats/types.js';

const score: MidiScore = {
  ticksPerBeat: 480,
  notes: [
    { pitch: 60, velocity: 72, start: 0, end: 1080, channel: 0, track: 0 },
    { pitch: 64, velocity: 90, start: 480, end: 960, channel: 0, track: 0 },
    { pitch: 67, velocity: 72, start: 960, end: 2040, channel: 0, track: 0 },
  ],
  tempos: [],
  timeSignatures: [{ tick: 0, numerator: 3, denominator: 4 }],
  keySignatures: [],
  drumChannels: [],
  maxTick: 2040,
};

describe('pianoRoll', () => {
  it('reads a score: note tuples, its resolution and bar length from the time signature', () => {
    const r = pianoRoll(score);
    expect(r.notes).toEqual([
      [60, 0, 1080, 72],
      [64, 480, 960, 90],
      [67, 960, 2040, 72],
    ]);
    expect(r.ticksPerBeat).toBe(480);
    expect(r.beatsPerBar).toBe(3);
    // 2040 ticks rounded up to whole 3/4 bars of 1440 ticks.
    expect(r.endTick).toBe(2880);
  });

  it('highlights the notes whose duration equals the conditioned label value', () => {
    const r = pianoRoll(score, { highlight: { conditions: { duration: 'Note_Duration_1080' } } });
    expect(r.highlight).toEqual({ label: 'duration = 1080', notes: [0, 2] });
    const both = pianoRoll(score, {
      highlight: { conditions: { duration: 'Note_Duration_1080', velocity: 'Note_Velocity_72' } },
    });
    expect(both.highlight?.notes).toEqual([0, 2]);
    const vel = pianoRoll(score, { highlight: { velocity: 90 } });
    expect(vel.highlight?.notes).toEqual([1]);
    const pred = pianoRoll(score, { highlight: { predicate: (n) => n.pitch > 62, label: 'high' } });
    expect(pred.highlight).toEqual({ label: 'high', notes: [1, 2] });
  });

  it('fits the pitch range to the notes with at least an octave', () => {
    expect(fitPitchRange([[60, 0, 1, 1]])).toEqual([54, 66]);
    const [lo, hi] = fitPitchRange([
      [40, 0, 1, 1],
      [90, 0, 1, 1],
    ]);
    expect([lo, hi]).toEqual([39, 91]);
  });

  it('rejects notes without numbers, naming the index', () => {
    expect(() => pianoRoll([{ pitch: 60, start: 0, end: 'x', velocity: 1 } as never])).toThrow(EmotuneError);
    expect(() =>
      pianoRoll([
        [60, 0, 1, 1],
        [61, 0],
      ] as never),
    ).toThrow(/notes\[1\]/);
  });
});

describe('pianoRollBundle', () => {
  it('has the versioned payload, an SVG with one rect per note and a text summary', () => {
    const b = pianoRollBundle(score, { title: 'run 1', highlight: { duration: 1080 } });
    const p = b.data[PIANOROLL_MIME] as PianoRollPayloadV1;
    expect(p.version).toBe(1);
    expect(p.rolls).toHaveLength(1);
    const html = b.data['text/html'] as string;
    expect(html.match(/class="emotune-note[ "]/g)).toHaveLength(3);
    expect(html.match(/emotune-note-hl/g)).toHaveLength(2);
    expect(html).toContain('data-emotune-notes="3"');
    expect(b.data['text/plain']).toBe(
      'Piano-roll "run 1": 3 notes, C4–G4, 6 beats (2 bars), velocity 72–90; 2 highlighted (duration = 1080)',
    );
  });

  it('escapes titles in the SVG', () => {
    const html = pianoRollBundle(score, { title: '<script>x</script><img src=x onerror=alert(1)>' }).data[
      'text/html'
    ] as string;
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('pianoRollsBundle', () => {
  it('gives every roll the same time span and pitch range so they compare side by side', () => {
    const b = pianoRollsBundle([
      { notes: score, title: 'primed' },
      { notes: [{ pitch: 40, start: 0, end: 9600, velocity: 50 }], title: 'forced' },
    ]);
    const p = b.data[PIANOROLL_MIME] as PianoRollPayloadV1;
    expect(p.linkedTime).toBe(true);
    expect(p.rolls.map((r) => r.endTick)).toEqual([9600, 9600]);
    expect(p.rolls[0]?.pitchRange).toEqual(p.rolls[1]?.pitchRange);
    expect((b.data['text/html'] as string).match(/<svg/g)).toHaveLength(2);
    expect((b.data['text/plain'] as string).split('\n')).toHaveLength(2);
  });

  it('rejects an empty list', () => {
    expect(() => pianoRollsBundle([])).toThrow(EmotuneError);
  });
});
