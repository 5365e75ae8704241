import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNpy, encodeNpy } from '../../src/formats/npy.js';
import { parseMidi } from '../../src/formats/midi-read.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import { parseMeta } from '../../src/formats/meta.js';
import { cpToScore } from '../../src/formats/cp-to-notes.js';
import { EmotuneError } from '../../src/errors.js';
import type { Word2Event } from '../../src/formats/types.js';

/** A parser may return or throw an EmotuneError; any other throw (TypeError, RangeError, a string) fails. */
function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EmotuneError))
      throw new Error(`untyped error: ${String(e instanceof Error ? `${e.name}: ${e.message}` : e)}`, { cause: e });
  }
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'delete'; at: number; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(src: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = Array.from(src);
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') b[at]! ^= 1 << m.bit;
    else if (m.kind === 'set') b[at] = m.value;
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'insert') b.splice(at, 0, ...m.bytes);
    else b.splice(at, m.len);
  }
  return Uint8Array.from(b);
}

const mutated = (seeds: Uint8Array[]) =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 5 }))
    .map(([s, ms]) => mutate(s, ms));

// A Uint8Array whose byteOffset is odd also exercises the unaligned decoding paths.
const randomBytes = fc.uint8Array({ maxLength: 300 });

const npySeeds = [
  encodeNpy(
    [3, 8],
    Array.from({ length: 24 }, (_, i) => i * 37 - 100),
  ),
  encodeNpy([4, 2], [1, 2, 3, 4, 5, 6, 7, 8], 'int32'),
  encodeNpy([], [5]),
];

const midiSeeds = [
  encodeMidi({
    ticksPerBeat: 480,
    notes: [
      { pitch: 60, velocity: 90, start: 0, end: 480, channel: 0, track: 1 },
      { pitch: 64, velocity: 70, start: 240, end: 960, channel: 0, track: 1 },
      { pitch: 60, velocity: 60, start: 480, end: 720, channel: 1, track: 2 },
    ],
    tempos: [{ tick: 0, bpm: 120 }],
    timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
    keySignatures: [{ tick: 0, key: 1, scale: 0 }],
  }),
  new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/midi/small-piano.mid', import.meta.url)))),
];

const metaSeed = JSON.stringify({
  paths: { npy: 'a.npy', midi: 'a.mid' },
  inference_mode: 'inference-primed',
  emotion_tag: 1,
  key_tag: 'C:maj',
  conditions_indices: { duration: 3 },
  vocab_order: ['tempo', 'type'],
});

const RUNS = { numRuns: 400 };

describe('property: parsers return or throw EmotuneError, nothing else', () => {
  it('parseNpy on random bytes and mutated valid files (bit flips, truncation, insertion, deletion)', () => {
    fc.assert(
      fc.property(randomBytes, (b) => onlyTypedErrors(() => parseNpy(b, 'r.npy'))),
      RUNS,
    );
    fc.assert(
      fc.property(mutated(npySeeds), (b) => onlyTypedErrors(() => parseNpy(b, 'm.npy'))),
      RUNS,
    );
    // Random bytes behind a valid magic reach the header parser rather than stopping at the magic.
    fc.assert(
      fc.property(randomBytes, (b) =>
        onlyTypedErrors(() => parseNpy(Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, ...b]))),
      ),
      RUNS,
    );
  });

  it('parseMidi on random bytes and mutated valid files', () => {
    fc.assert(
      fc.property(randomBytes, (b) => onlyTypedErrors(() => parseMidi(b, 'r.mid'))),
      RUNS,
    );
    fc.assert(
      fc.property(mutated(midiSeeds), (b) => onlyTypedErrors(() => parseMidi(b, 'm.mid'))),
      RUNS,
    );
    // A valid header followed by one random track: exercises the event scanner.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (t) => {
        const head = [
          0x4d,
          0x54,
          0x68,
          0x64,
          0,
          0,
          0,
          6,
          0,
          1,
          0,
          1,
          1,
          0xe0,
          0x4d,
          0x54,
          0x72,
          0x6b,
          0,
          0,
          t.length >> 8,
          t.length & 0xff,
        ];
        onlyTypedErrors(() => parseMidi(Uint8Array.from([...head, ...t])));
      }),
      RUNS,
    );
  });

  it('parseMeta on random text and mutated valid meta files', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => onlyTypedErrors(() => parseMeta(s, '/x/r.meta.json'))),
      RUNS,
    );
    const seed = new TextEncoder().encode(metaSeed);
    fc.assert(
      fc.property(mutated([seed]), (b) =>
        onlyTypedErrors(() => parseMeta(new TextDecoder().decode(b), '/x/m.meta.json')),
      ),
      RUNS,
    );
    fc.assert(
      fc.property(fc.json(), (j) => onlyTypedErrors(() => parseMeta(j, '/x/j.meta.json'))),
      RUNS,
    );
  });

  it('cpToScore on random token rows', () => {
    const w2e: Word2Event = {
      tempo: { 0: 0, 1: 'CONTI', 2: 'Tempo_120', 3: 'Tempo_x' },
      'bar-beat': { 0: 0, 1: 'Bar', 2: 'Beat_0', 3: 'Beat_15', 4: 'Beat_' },
      type: { 0: 'EOS', 1: 'Metrical', 2: 'Note' },
      pitch: { 0: 0, 1: 'Note_Pitch_60', 2: 'CONTI' },
      duration: { 0: 0, 1: 'Note_Duration_0', 2: 'Note_Duration_480' },
      velocity: { 0: 0, 1: 'Note_Velocity_80' },
    };
    const order = ['tempo', 'bar-beat', 'type', 'pitch', 'duration', 'velocity'];
    const rows = fc.array(fc.array(fc.integer({ min: -1, max: 5 }), { minLength: 6, maxLength: 6 }), { maxLength: 40 });
    fc.assert(
      fc.property(rows, (r) => onlyTypedErrors(() => cpToScore(r, order, w2e))),
      RUNS,
    );
  });

  it('the check itself fails on an untyped error', () => {
    expect(() =>
      onlyTypedErrors(() => {
        throw new TypeError('x');
      }),
    ).toThrow(/untyped error/);
    expect(() =>
      onlyTypedErrors(() => {
        throw 'a string';
      }),
    ).toThrow(/untyped error/);
    expect(() =>
      onlyTypedErrors(() => {
        throw new EmotuneError('fine');
      }),
    ).not.toThrow();
  });
});
