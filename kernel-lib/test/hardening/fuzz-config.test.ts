/**
 * Property tests for the issue 13 surfaces: configs with hostile values (duplicates, 1e400, huge numbers, deep
 * nesting) and error descriptions of self-sharing structures. Every input must give a config whose numbers are
 * finite and whose grid lists are free of repeats, or a one-line EmotuneError; describeValue stays short.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { propertyRuns } from '../support/property-runs.js';
import { EmotuneError, describeValue } from '../../src/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { referenceConfig } from '../helpers.js';

const FIELDS = [
  'random_seed',
  'emotions',
  'modes',
  'keys',
  'tokens_of_interest',
  'concurrency',
  'condition_set_sizes',
  'max_values_per_token',
  'generator',
  'classifier',
  'common_args',
  'description',
] as const;

/** JSON texts a hostile or careless user could write, parsed as the loader parses them. */
const hostileNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e308',
  '-0',
  '0',
  '2147483648',
  '9007199254740993',
  '0.5',
  '4',
  '256',
  '257',
);
const deep = fc.integer({ min: 1, max: 2000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`);
const value: fc.Arbitrary<unknown> = fc.oneof(
  hostileNumber.map((t) => JSON.parse(t) as unknown),
  deep.map((t) => JSON.parse(t) as unknown),
  fc.array(
    fc.oneof(
      hostileNumber.map((t) => JSON.parse(t) as unknown),
      fc.constantFrom(1, 2, 3, 4, 'inference-primed', 'A:maj', 'duration'),
    ),
    { maxLength: 6 },
  ),
  fc.record({ command: fc.constant(['x', '{midi}']), timeout_s: hostileNumber.map((t) => JSON.parse(t) as unknown) }),
  fc.record({
    num_songs: hostileNumber.map((t) => JSON.parse(t) as unknown),
    generation_timeout: hostileNumber.map((t) => JSON.parse(t) as unknown),
  }),
  fc.dictionary(
    fc.constantFrom('duration', 'velocity'),
    hostileNumber.map((t) => JSON.parse(t) as unknown),
  ),
  fc.jsonValue(),
);

function allFinite(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object') return true;
  return Object.values(v).every(allFinite);
}

describe('fuzzing the config with hostile values (issue 13)', () => {
  it('every config is either sound (finite numbers, no repeated grid values, bounded time-outs) or a one-line EmotuneError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { minLength: 1, maxLength: 3 }), (edits) => {
        const raw = referenceConfig(Object.fromEntries(edits));
        try {
          const c = parseConfig(raw, '/tmp', 'config.json');
          expect(allFinite({ ...c, generator: { ...c.generator }, random_seed: c.random_seed })).toBe(true);
          for (const list of [c.emotions, c.modes, c.keys, c.tokens_of_interest, c.condition_set_sizes] as unknown[][])
            expect(new Set(list).size).toBe(list.length);
          expect(c.generator.timeout_s).toBeLessThanOrEqual(30 * 24 * 3600);
          expect(c.concurrency).toBeLessThanOrEqual(256);
        } catch (e) {
          if (!(e instanceof EmotuneError))
            throw new Error(`untyped error: ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
          expect(e.message).not.toContain('\n');
          expect(e.message.length).toBeLessThan(400);
        }
      }),
      { numRuns: propertyRuns(2000), seed: 13 },
    );
  });
});

describe('describeValue on structures that share or nest without end', () => {
  /** A random DAG: each level holds references to the level below several times (sizes up to width^depth). */
  const dag = fc
    .record({
      depth: fc.integer({ min: 1, max: 60 }),
      width: fc.integer({ min: 1, max: 12 }),
      asObject: fc.boolean(),
      leaf: fc.jsonValue(),
    })
    .map(({ depth, width, asObject, leaf }) => {
      let v: unknown = leaf;
      for (let d = 0; d < depth; d++) {
        const prev = v;
        v = asObject
          ? Object.fromEntries(Array.from({ length: width }, (_, i) => [`k${i}`, prev]))
          : Array.from({ length: width }, () => prev);
      }
      return v;
    });

  it('stays within its length on any of them', () => {
    fc.assert(
      fc.property(dag, fc.integer({ min: 5, max: 200 }), (v, max) => {
        expect(describeValue(v, max).length).toBeLessThanOrEqual(max);
      }),
      { numRuns: propertyRuns(2000), seed: 13 },
    );
  });

  it('prints non-finite numbers and huge integers readably', () => {
    expect(describeValue(Infinity)).toBe('Infinity');
    expect(describeValue([NaN, -Infinity])).toBe('[NaN,-Infinity]');
    expect(describeValue(2n ** 4000n)).toBe('<integer of 4001 bits>');
    expect(describeValue(-(2n ** 200n) + 1n)).toBe('-<integer of 200 bits>');
    expect(describeValue({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
  });
});
