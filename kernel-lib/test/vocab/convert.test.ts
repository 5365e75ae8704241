import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertToWord2Event } from '../../src/vocab/convert.js';
import { loadWord2Event } from '../../src/vocab/word2event.js';
import { parsePickle } from '../../src/vocab/pickle.js';
import { repoRoot, tempDir } from '../helpers.js';
import { cli } from '../support/cli-runs.js';

const fixture = (name: string) => join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'pickle', name);
const expected = {
  duration: { '0': 0, '1': 'Note_Duration_0', '2': 'Note_Duration_1080' },
  emotion: { '1': 1, '2': 2, '3': -3, '4': 4 },
};

describe('dictionary.pkl holding numpy integers', () => {
  it('is refused by the plain loader with the conversion command, naming the file', async () => {
    const file = fixture('numpy-ints-p4.pkl');
    await expect(loadWord2Event(file)).rejects.toThrow(
      `forbidden opcode STACK_GLOBAL: only plain data (dict, list, tuple, str, int, float, bool, None) is accepted; a dictionary.pkl holding numpy integers converts once to JSON with: npx emotune vocab convert ${file} --out word2event.json`,
    );
  });

  it.each(['numpy-ints-p2.pkl', 'numpy-ints-p4.pkl'])(
    '%s converts without Python: numpy scalars read as numbers',
    async (name) => {
      expect(await convertToWord2Event(fixture(name))).toEqual(expected);
    },
  );

  it('still refuses any other global, pointing at a Python one-liner', async () => {
    await expect(convertToWord2Event(fixture('ordereddict-p4.pkl'), 'w.json')).rejects.toThrow(
      /forbidden global collections\.OrderedDict: only plain data and numpy scalars are read; convert it with Python instead: python3 -c "import pickle, json; .*open\('w\.json', 'w'\)/,
    );
  });

  it('never calls what it allows: a REDUCE of a non-numpy callable is refused', () => {
    // GLOBAL builtins.eval, then REDUCE: even with numpy scalars allowed this stops at the global.
    const bytes = new TextEncoder().encode("cbuiltins\neval\n(S'1'\ntR.");
    expect(() => parsePickle(bytes, 'x.pkl', { numpyScalars: true })).toThrow(/forbidden global builtins\.eval/);
  });

  it('emotune vocab convert writes the JSON the loader reads', async () => {
    const out = join(tempDir(), 'word2event.json');
    const r = await execa(process.execPath, [cli, 'vocab', 'convert', fixture('numpy-ints-p2.pkl'), '--out', out], {
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('2 token types (duration, emotion)');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(expected);
    expect(await loadWord2Event(out)).toEqual(expected);
  });
});
