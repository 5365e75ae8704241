// 10,000 mutated files across the readers, from a fixed seed: every reader either returns or throws an
// EmotuneError naming the file; nothing else escapes, nothing hangs. A failure prints the case number to replay.
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../support/property-runs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmotuneError } from '../../src/errors.js';
import { encodeNpy, parseNpy } from '../../src/formats/npy.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import { parseMidi } from '../../src/formats/midi-read.js';
import { parseMeta } from '../../src/formats/meta.js';
import { parsePickle } from '../../src/vocab/pickle.js';
import { parseWord2Event } from '../../src/vocab/word2event.js';
import { mulberry32 } from '../../src/prng.js';
import { repoRoot } from '../helpers.js';

const FUZZ_SEED = 20841128;
/** 10,000 in the full suite; a multiple of the five readers at any scale. */
const CASES = 5 * Math.round(propertyRuns(10_000) / 5);
const fixtures = join(repoRoot, 'kernel-lib', 'test', 'fixtures');

const meta = JSON.stringify({
  paths: { npy: 'song.npy', midi: 'song.mid' },
  inference_mode: 'inference-primed',
  emotion_tag: 2,
  key_tag: 'A:maj',
  conditions_indices: { duration: 2 },
  vocab_order: ['tempo', 'chord', 'bar-beat', 'type', 'pitch', 'duration', 'velocity', 'emotion', 'key'],
});
const enc = (s: string) => new TextEncoder().encode(s);

/** Valid inputs for each reader; mutations start from these. */
const readers: Array<{
  name: string;
  file: string;
  seeds: Uint8Array[];
  read: (b: Uint8Array, file: string) => unknown;
}> = [
  {
    name: 'npy',
    file: 'song.npy',
    seeds: [
      encodeNpy(
        [6, 9],
        Array.from({ length: 54 }, (_, i) => i % 17),
      ),
      encodeNpy([3, 2], [1, 2, 3, 4, 5, 6], 'int32'),
    ],
    read: parseNpy,
  },
  {
    name: 'midi',
    file: 'song.mid',
    seeds: [
      new Uint8Array(readFileSync(join(fixtures, 'midi', 'small-piano.mid'))),
      encodeMidi({
        ticksPerBeat: 480,
        notes: [
          { pitch: 60, velocity: 80, start: 0, end: 480, channel: 0, track: 0 },
          { pitch: 64, velocity: 70, start: 240, end: 960, channel: 0, track: 0 },
        ],
      }),
    ],
    read: parseMidi,
  },
  {
    name: 'pickle',
    file: 'dictionary.pkl',
    seeds: [
      new Uint8Array(readFileSync(join(fixtures, 'pickle', 'emopia-dictionary.pkl'))),
      new Uint8Array(readFileSync(join(fixtures, 'pickle', 'plain-p2.pkl'))),
    ],
    read: parsePickle,
  },
  {
    name: 'meta',
    file: '/exp/run/song.meta.json',
    seeds: [enc(meta)],
    read: (b, f) => parseMeta(new TextDecoder().decode(b), f),
  },
  {
    name: 'word2event',
    file: 'word2event.json',
    seeds: [enc(JSON.stringify({ duration: { '0': 0, '1': 'Note_Duration_120' }, type: { '0': 0, '1': 'Note' } }))],
    read: parseWord2Event,
  },
];

function mutate(seed: Uint8Array, rnd: () => number): Uint8Array {
  let b = Uint8Array.from(seed);
  const ops = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < ops; k++) {
    const pos = Math.floor(rnd() * Math.max(1, b.length));
    switch (Math.floor(rnd() * 6)) {
      case 0: // flip one bit
        if (b.length) b[pos]! ^= 1 << Math.floor(rnd() * 8);
        break;
      case 1: // set a byte to an extreme
        if (b.length) b[pos] = [0, 0x7f, 0x80, 0xff][Math.floor(rnd() * 4)]!;
        break;
      case 2: // truncate
        b = b.subarray(0, pos);
        break;
      case 3: {
        // insert random bytes
        const ins = Uint8Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256));
        b = Uint8Array.from([...b.subarray(0, pos), ...ins, ...b.subarray(pos)]);
        break;
      }
      case 4: {
        // duplicate a slice (repeated chunks, lengths that lie)
        const len = Math.floor(rnd() * 32);
        b = Uint8Array.from([...b.subarray(0, pos), ...b.subarray(pos, pos + len), ...b.subarray(pos)]);
        break;
      }
      default: // overwrite 4 bytes with a big-endian length-like number
        if (b.length > pos + 4) new DataView(b.buffer, b.byteOffset).setUint32(pos, Math.floor(rnd() * 2 ** 32));
    }
  }
  return b;
}

describe(`fuzzing the readers with ${CASES} mutated files (fixed seed)`, () => {
  it('every reader returns or throws an EmotuneError that names the file', () => {
    const rnd = mulberry32(FUZZ_SEED);
    const outcomes: Record<string, { ok: number; rejected: number }> = {};
    for (let i = 0; i < CASES; i++) {
      const reader = readers[i % readers.length]!;
      const bytes = mutate(reader.seeds[Math.floor(rnd() * reader.seeds.length)]!, rnd);
      const tally = (outcomes[reader.name] ??= { ok: 0, rejected: 0 });
      try {
        reader.read(bytes, reader.file);
        tally.ok++;
      } catch (e) {
        if (!(e instanceof EmotuneError))
          throw new Error(`case ${i} (${reader.name}): ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
        expect(e.message, `case ${i}`).toContain(reader.file);
        tally.rejected++;
      }
    }
    // Both outcomes occur for every reader: the mutations reach past the first validity check.
    for (const [name, t] of Object.entries(outcomes)) {
      expect(t.ok + t.rejected, name).toBe(CASES / readers.length);
      expect(t.rejected, name).toBeGreaterThan(0);
    }
  }, 120_000);
});
