import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePickle } from '../../src/vocab/pickle.js';
import { parseWord2Event } from '../../src/vocab/word2event.js';
import { EmotuneError } from '../../src/errors.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/pickle/${name}`, import.meta.url))));

function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EmotuneError))
      throw new Error(`untyped error: ${String(e instanceof Error ? `${e.name}: ${e.message}` : e)}`, { cause: e });
  }
}

function mutate(src: Uint8Array, ops: [number, number, number][]): Uint8Array {
  let b = Array.from(src);
  for (const [kind, at0, v] of ops) {
    if (b.length === 0) break;
    const at = at0 % b.length;
    if (kind === 0) b[at]! ^= 1 << (v % 8);
    else if (kind === 1) b = b.slice(0, at);
    else if (kind === 2) b.splice(at, 0, v);
    else if (kind === 3) b.splice(at, 1 + (v % 4));
    else b[at] = v;
  }
  return Uint8Array.from(b);
}

const seeds = [
  'emopia-dictionary.pkl',
  'plain-p0.pkl',
  'plain-p2.pkl',
  'plain-p5.pkl',
  'sets-p4.pkl',
  'bigints-p0.pkl',
].map(fixture);
const op = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat(), fc.integer({ min: 0, max: 255 }));
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(op, { minLength: 1, maxLength: 5 }))
  .map(([s, ops]) => mutate(s, ops));
// Opcode soup: random sequences of real opcode bytes with small arguments, ending in STOP.
const soup = fc
  .array(
    fc.constantFrom(
      0x28,
      0x2e,
      0x29,
      0x5d,
      0x7d,
      0x4b,
      0x4d,
      0x4a,
      0x8a,
      0x8c,
      0x58,
      0x71,
      0x68,
      0x94,
      0x73,
      0x75,
      0x61,
      0x65,
      0x74,
      0x85,
      0x86,
      0x87,
      0x6c,
      0x64,
      0x8f,
      0x90,
      0x91,
      0x30,
      0x31,
      0x32,
      0x4e,
      0x88,
      0x89,
      0x80,
      0x95,
      0x01,
      0x00,
      0x0a,
      0x49,
      0x4c,
      0x46,
      0x53,
      0x56,
    ),
    { maxLength: 120 },
  )
  .map((ops) => Uint8Array.from([...ops, 0x2e]));

describe('property: parsePickle and parseWord2Event return or throw EmotuneError only', () => {
  it('random bytes, mutated real pickles and opcode soup', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyTypedErrors(() => parsePickle(b, 'r.pkl'))),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(mutated, (b) => onlyTypedErrors(() => parsePickle(b, 'm.pkl'))),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(soup, (b) => onlyTypedErrors(() => parsePickle(b, 's.pkl'))),
      { numRuns: 600 },
    );
  });

  it('parseWord2Event on mutated pickles and mutated JSON', () => {
    const json = fixture('emopia-dictionary.json');
    fc.assert(
      fc.property(mutated, (b) => onlyTypedErrors(() => parseWord2Event(b, 'm.pkl'))),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 5 }), (ops) =>
        onlyTypedErrors(() => parseWord2Event(mutate(json, ops), 'm.json')),
      ),
      { numRuns: 200 },
    );
  });

  it('the check itself fails on an untyped error', () => {
    expect(() =>
      onlyTypedErrors(() => {
        throw new RangeError('x');
      }),
    ).toThrow(/untyped error/);
  });
});
