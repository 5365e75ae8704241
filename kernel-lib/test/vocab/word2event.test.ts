import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile, copyFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWord2Event, labelOf, indexOfLabel, validateWord2Event } from '../../src/vocab/word2event.js';
import { EmotuneError } from '../../src/errors.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/pickle/${name}`, import.meta.url));
const [, emopiaW2E] = JSON.parse(readFileSync(fixture('emopia-dictionary.json'), 'utf8'));

async function rejection(p: Promise<unknown>): Promise<EmotuneError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(EmotuneError);
    return e as EmotuneError;
  }
  throw new Error('expected an EmotuneError');
}

describe('loadWord2Event', () => {
  it('reads a pickled dictionary.pkl (its word2event part), whatever the file is named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2e-'));
    await copyFile(fixture('emopia-dictionary.pkl'), join(dir, 'dict.bin'));
    expect(await loadWord2Event(fixture('emopia-dictionary.pkl'))).toEqual(emopiaW2E);
    expect(await loadWord2Event(join(dir, 'dict.bin'))).toEqual(emopiaW2E);
  });

  it('reads JSON: a word2event object, or an [event2word, word2event] pair', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2e-'));
    await writeFile(join(dir, 'w2e.json'), JSON.stringify(emopiaW2E));
    await writeFile(join(dir, 'pair.txt'), `\n  ${readFileSync(fixture('emopia-dictionary.json'), 'utf8')}`);
    expect(await loadWord2Event(join(dir, 'w2e.json'))).toEqual(emopiaW2E);
    expect(await loadWord2Event(join(dir, 'pair.txt'))).toEqual(emopiaW2E);
  });

  it('names the file and the token type for a bad vocabulary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2e-'));
    const f = join(dir, 'bad.json');
    await writeFile(f, JSON.stringify({ tempo: { 0: 0, 1: 'CONTI' }, pitch: ['Note_Pitch_60'] }));
    const e = await rejection(loadWord2Event(f));
    expect(e.file).toBe(f);
    expect(e.field).toBe('word2event.pitch');
    expect(e.message).toContain('bad.json');
    await writeFile(f, JSON.stringify({ tempo: { 0: 0, 1: { x: 1 } } }));
    expect((await rejection(loadWord2Event(f))).field).toBe('word2event.tempo.1');
    await writeFile(f, '[1, 2, 3]');
    expect((await rejection(loadWord2Event(f))).code).toBe('vocab.invalid');
  });

  it('reports malformed JSON with line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2e-'));
    const f = join(dir, 'broken.json');
    await writeFile(f, '{\n  "tempo": {"0": 0,}\n}');
    const e = await rejection(loadWord2Event(f));
    expect(e.code).toBe('json.syntax');
    expect(e.field).toBe('line 2 column 20');
  });

  it('refuses a pickle with code in it and a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'w2e-'));
    const f = join(dir, 'evil.pkl');
    await writeFile(f, "cos\nsystem\n(S'echo pwned'\ntR.", 'latin1');
    expect((await rejection(loadWord2Event(f))).code).toBe('pickle.forbidden-opcode');
    expect((await rejection(loadWord2Event(join(dir, 'missing.pkl')))).code).toBe('vocab.io');
  });
});

describe('labelOf / indexOfLabel', () => {
  const w2e = validateWord2Event(emopiaW2E);
  it('look labels up by index (number or string) and back', () => {
    expect(labelOf(w2e, 'duration', 0)).toBe(0);
    expect(labelOf(w2e, 'tempo', '1')).toBe('CONTI');
    const idx = indexOfLabel(w2e, 'duration', 'Note_Duration_1080');
    expect(typeof idx).toBe('number');
    expect(labelOf(w2e, 'duration', idx!)).toBe('Note_Duration_1080');
    expect(indexOfLabel(w2e, 'tempo', 0)).toBe(0);
  });
  it('give undefined for unknown token types, indices, labels and prototype names', () => {
    expect(labelOf(w2e, 'nope', 1)).toBeUndefined();
    expect(labelOf(w2e, 'tempo', 9999)).toBeUndefined();
    expect(labelOf(w2e, 'tempo', 'constructor')).toBeUndefined();
    expect(labelOf(w2e, 'toString', 0)).toBeUndefined();
    expect(indexOfLabel(w2e, 'tempo', 'Tempo_9999')).toBeUndefined();
    expect(indexOfLabel(w2e, 'tempo', '0')).toBeUndefined(); // label 0 is a number, not the string "0"
  });
});
