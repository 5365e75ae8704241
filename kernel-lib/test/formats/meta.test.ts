import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseMeta, readMeta, parseJsonText } from '../../src/formats/meta.js';
import { EmotuneError } from '../../src/errors.js';
import { errorOf } from '../expect-error.js';

const base = {
  paths: { npy: 'song_0.npy', midi: '/abs/song_0.mid' },
  inference_mode: 'inference-deterministic',
  emotion_tag: 2,
  key_tag: 'A:maj',
  conditions_indices: { duration: 12 },
  vocab_order: ['tempo', 'chord', 'bar-beat', 'type', 'pitch', 'duration', 'velocity', 'emotion', 'key'],
  seed: 7,
};

describe('parseMeta', () => {
  it('reads every contract field, resolves relative paths from the meta folder, keeps extras', () => {
    const m = parseMeta(JSON.stringify(base), '/data/run1/song_0.meta.json');
    expect(m.file).toBe('/data/run1/song_0.meta.json');
    expect(m.paths).toEqual({ npy: '/data/run1/song_0.npy', midi: '/abs/song_0.mid' });
    expect(m.inference_mode).toBe('inference-deterministic');
    expect(m.emotion_tag).toBe(2);
    expect(m.key_tag).toBe('A:maj');
    expect(m.conditions_indices).toEqual({ duration: 12 });
    expect(m.force_indices).toBeUndefined();
    expect(m.vocab_order).toEqual(base.vocab_order);
    expect(m.extra).toEqual({ seed: 7 });
  });

  it('resolves a relative meta path to an absolute one', () => {
    const m = parseMeta(
      JSON.stringify({ ...base, paths: { npy: '../x/a.npy', midi: 'a.mid' } }),
      'rel/dir/a.meta.json',
    );
    expect(m.file).toBe(resolve('rel/dir/a.meta.json'));
    expect(m.paths.npy).toBe(resolve('rel/x/a.npy'));
    expect(m.paths.midi).toBe(resolve('rel/dir/a.mid'));
  });

  it('accepts null key_tag and force_indices instead of conditions', () => {
    const { conditions_indices: _c, ...rest } = base;
    const m = parseMeta(
      JSON.stringify({ ...rest, key_tag: null, force_indices: { duration: 3, key: 1 } }),
      '/m.meta.json',
    );
    expect(m.key_tag).toBeNull();
    expect(m.force_indices).toEqual({ duration: 3, key: 1 });
  });

  it('names the field and expected type when a field is wrong or missing', () => {
    let e = errorOf(() => parseMeta(JSON.stringify({ ...base, emotion_tag: 'two' }), 'm.meta.json'));
    expect(e.code).toBe('meta.invalid');
    expect(e.field).toBe('emotion_tag');
    expect(e.expected).toContain('integer');
    expect(e.message).toContain('m.meta.json');
    e = errorOf(() =>
      parseMeta(JSON.stringify({ ...base, conditions_indices: { duration: 'Note_Duration_1080' } }), 'm.meta.json'),
    );
    expect(e.field).toBe('conditions_indices.duration');
    e = errorOf(() => parseMeta(JSON.stringify({ ...base, paths: { npy: 'a.npy' } }), 'm.meta.json'));
    expect(e.field).toBe('paths.midi');
    const { vocab_order: _v, ...noVocab } = base;
    expect(errorOf(() => parseMeta(JSON.stringify(noVocab), 'm.meta.json')).field).toBe('vocab_order');
    expect(errorOf(() => parseMeta(JSON.stringify({ ...base, vocab_order: ['a', 3] }), 'm.meta.json')).field).toBe(
      'vocab_order.1',
    );
    expect(errorOf(() => parseMeta('[1]', 'm.meta.json')).field).toBe('(root)');
  });

  it('reports malformed JSON with the file, line and column', () => {
    const e = errorOf(() => parseMeta('{\n  "paths": {"npy": "a"\n  "midi": 1}\n}', 'bad.meta.json'));
    expect(e.code).toBe('json.syntax');
    expect(e.field).toBe('line 3 column 3');
    expect(e.message).toContain('bad.meta.json');
    expect(errorOf(() => parseJsonText('', 'e.json')).code).toBe('json.syntax');
  });

  it('readMeta reads a file; a missing file is an EmotuneError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meta-'));
    await writeFile(join(dir, 's.meta.json'), JSON.stringify(base));
    const m = await readMeta(join(dir, 's.meta.json'));
    expect(m.paths.npy).toBe(join(dir, 'song_0.npy'));
    await expect(readMeta(join(dir, 'nope.meta.json'))).rejects.toBeInstanceOf(EmotuneError);
  });
});
