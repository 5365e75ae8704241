import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePickle, readDictionaryPkl, parseDictionaryPkl } from '../../src/vocab/pickle.js';
import { errorOf } from '../expect-error.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/pickle/${name}`, import.meta.url));
const bytesOf = (name: string) => new Uint8Array(readFileSync(fixture(name)));
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('parsePickle: plain data as Python reads it', () => {
  const expected = JSON.parse(readFileSync(fixture('plain.json'), 'utf8'));
  for (const p of [0, 1, 2, 3, 4, 5]) {
    it(`protocol ${p} decodes to what Python's json.dump wrote`, () => {
      expect(parsePickle(bytesOf(`plain-p${p}.pkl`))).toEqual(expected);
    });
  }

  it('keeps memo references shared (one object, as Python)', () => {
    const v = parsePickle(bytesOf('plain-p4.pkl')) as { memo: unknown[] };
    expect(v.memo[0]).toBe(v.memo[1]);
  });

  it('integers beyond ±(2^53-1) become bigint (LONG, LONG1)', () => {
    for (const f of ['bigints-p0.pkl', 'bigints-p2.pkl']) {
      expect(parsePickle(bytesOf(f))).toEqual([2n ** 70n, -(2n ** 70n), 2n ** 53n, -(2n ** 63n), 2n ** 64n - 1n]);
    }
  });

  it('bytes, bytearray, sets and frozensets', () => {
    const [b, ba] = parsePickle(bytesOf('bytes-p5.pkl')) as Uint8Array[];
    expect(Array.from(b!)).toEqual([0, 255, 0x61, 0x62]);
    expect(Array.from(ba!)).toEqual([0x78, 0x79]);
    const [s, fs] = parsePickle(bytesOf('sets-p4.pkl')) as unknown[][];
    expect([...s!].sort()).toEqual([1, 2, 3]);
    expect(fs).toEqual(['x']);
  });

  it('protocol-0 STRING and INT True/False, BINSTRING, SHORT_BINSTRING', () => {
    expect(parsePickle(ascii("(S'a\\'b\\n\\x41'\nI01\nI00\nI-7\nF2.5\nt."))).toEqual(["a'b\nA", true, false, -7, 2.5]);
    expect(parsePickle(ascii('(T\x02\x00\x00\x00hiU\x02yot.'))).toEqual(['hi', 'yo']);
    expect(parsePickle(ascii('V\\u00e9t\\U0001f3b5\n.'))).toBe('ét🎵');
    expect(parsePickle(ascii(`V${'a'.repeat(70000)}\n.`))).toBe('a'.repeat(70000)); // long text lines too
  });

  it('a key named __proto__ stays a plain key', () => {
    const v = parsePickle(ascii('}X\x09\x00\x00\x00__proto__K\x01s.')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(v['__proto__']).toBe(1);
  });
});

describe('parsePickle: refuses code and damaged input', () => {
  it('refuses GLOBAL + REDUCE (os.system) naming the opcode and offset, before anything runs', () => {
    const e = errorOf(() => parsePickle(ascii("cos\nsystem\n(S'echo pwned'\ntR."), 'evil.pkl'));
    expect(e.code).toBe('pickle.forbidden-opcode');
    expect(e.field).toBe('opcode GLOBAL@0');
    expect(e.message).toContain('evil.pkl');
  });
  const cases: [string, Uint8Array, string][] = [
    [
      'STACK_GLOBAL',
      Uint8Array.from([0x80, 4, 0x8c, 2, 0x6f, 0x73, 0x8c, 6, ...ascii('system'), 0x93, 0x2e]),
      'STACK_GLOBAL@14',
    ],
    ['REDUCE', ascii('N)R.'), 'REDUCE@2'],
    ['BUILD', ascii('}}b.'), 'BUILD@2'],
    ['INST', ascii('(ios\nsystem\n.'), 'INST@1'],
    ['OBJ', ascii('(No.'), 'OBJ@2'],
    ['NEWOBJ', Uint8Array.from([0x80, 2, 0x4e, 0x29, 0x81, 0x2e]), 'NEWOBJ@4'],
    ['NEWOBJ_EX', Uint8Array.from([0x80, 4, 0x4e, 0x29, 0x7d, 0x92, 0x2e]), 'NEWOBJ_EX@5'],
    ['EXT1', Uint8Array.from([0x80, 2, 0x82, 1, 0x2e]), 'EXT1@2'],
    ['EXT2', Uint8Array.from([0x80, 2, 0x83, 1, 0, 0x2e]), 'EXT2@2'],
    ['EXT4', Uint8Array.from([0x80, 2, 0x84, 1, 0, 0, 0, 0x2e]), 'EXT4@2'],
    ['PERSID', ascii('Pid\n.'), 'PERSID@0'],
    ['BINPERSID', ascii('NQ.'), 'BINPERSID@1'],
    ['NEXT_BUFFER', Uint8Array.from([0x80, 5, 0x97, 0x2e]), 'NEXT_BUFFER@2'],
    ['READONLY_BUFFER', Uint8Array.from([0x80, 5, 0x4e, 0x98, 0x2e]), 'READONLY_BUFFER@3'],
  ];
  for (const [name, bytes, field] of cases) {
    it(`refuses ${name}`, () => {
      const e = errorOf(() => parsePickle(bytes));
      expect(e.code).toBe('pickle.forbidden-opcode');
      expect(e.field).toBe(`opcode ${field}`);
    });
  }
  it('refuses a set pickled at protocol 2 (Python writes it with GLOBAL builtins.set)', () => {
    expect(errorOf(() => parsePickle(bytesOf('set-p2.pkl'))).code).toBe('pickle.forbidden-opcode');
  });
  it('truncated input, missing STOP, unknown opcode, bad protocol, bad memo, stack underflow', () => {
    const good = bytesOf('emopia-dictionary.pkl');
    expect(errorOf(() => parsePickle(good.subarray(0, 100))).code).toBe('pickle.truncated');
    expect(errorOf(() => parsePickle(good.subarray(0, good.length - 1))).code).toBe('pickle.truncated');
    expect(errorOf(() => parsePickle(new Uint8Array(0))).code).toBe('pickle.truncated');
    expect(errorOf(() => parsePickle(Uint8Array.from([0xff]))).code).toBe('pickle.bad-opcode');
    expect(errorOf(() => parsePickle(Uint8Array.from([0x80, 6, 0x4e, 0x2e]))).code).toBe('pickle.protocol');
    expect(errorOf(() => parsePickle(ascii('h\x07.'))).code).toBe('pickle.memo');
    expect(errorOf(() => parsePickle(ascii('s.'))).code).toBe('pickle.stack');
    expect(errorOf(() => parsePickle(ascii('K\x01K\x02a.'))).code).toBe('pickle.stack'); // APPEND to an int
    expect(errorOf(() => parsePickle(ascii(')K\x01a.'))).code).toBe('pickle.stack'); // APPEND to a tuple
    expect(errorOf(() => parsePickle(ascii('}]K\x01s.'))).code).toBe('pickle.unsupported-key'); // list as key
    expect(errorOf(() => parsePickle(Uint8Array.from([0x58, 0xff, 0xff, 0xff, 0xff, 0x2e]))).code).toBe(
      'pickle.truncated',
    );
  });
});

describe('readDictionaryPkl: the real EMOPIA dictionary', () => {
  it("equals Python's decoding (via json) and names the 8 token types", async () => {
    const { event2word, word2event } = await readDictionaryPkl(fixture('emopia-dictionary.pkl'));
    const [e2w, w2e] = JSON.parse(readFileSync(fixture('emopia-dictionary.json'), 'utf8'));
    expect(event2word).toEqual(e2w);
    expect(word2event).toEqual(w2e);
    expect(Object.keys(word2event)).toEqual([
      'tempo',
      'chord',
      'bar-beat',
      'type',
      'pitch',
      'duration',
      'velocity',
      'emotion',
    ]);
    expect(Object.keys(word2event.duration!).length).toBe(18);
    expect(word2event.tempo!['0']).toBe(0);
    expect(word2event.tempo!['1']).toBe('CONTI');
  });
  it('refuses a pickle that is not an (event2word, word2event) pair', () => {
    expect(errorOf(() => parseDictionaryPkl(ascii('K\x01.'), 'x.pkl')).code).toBe('vocab.invalid');
    const e = errorOf(() => parseDictionaryPkl(ascii('(}}X\x01\x00\x00\x00a]s\x86.'), 'x.pkl'));
    expect(e.field).toBe('word2event.a');
  });
});
