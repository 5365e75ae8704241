import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy, toRows } from '../../../src/formats/npy.js';
import { readDictionaryPkl } from '../../../src/vocab/pickle.js';
import { keepLoads, runEmbeddedGenerator } from '../../../src/generate/embedded/generate-songs.js';
import type { GeneratorArgs } from '../../../src/generate/embedded/generator-args.js';
import type { CpModel } from '../../../src/generate/embedded/model.js';
import { loadModel } from '../../../src/generate/embedded/model-file.js';
import { attributeFor, generateSong } from '../../../src/generate/embedded/song.js';
import { indexOf, makeVocab } from '../../../src/generate/embedded/vocabulary.js';

const EMBEDDED = join(import.meta.dirname, '..', '..', '..', 'embedded');
const DICTS = join(EMBEDDED, 'dataset', 'co-representation');

let scratch: CpModel;
let pretrained: CpModel;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'emotune-gen-'));
  const keyed = makeVocab((await readDictionaryPkl(join(DICTS, 'train_dictionary.pkl'))).word2event);
  const plain = makeVocab((await readDictionaryPkl(join(DICTS, 'dictionary.pkl'))).word2event);
  scratch = await loadModel(join(EMBEDDED, 'checkpoints', 'loss_8_params.json'), keyed);
  pretrained = await loadModel(join(EMBEDDED, 'checkpoints', 'loss_pre_params.json'), plain);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Each model and dictionary is read once for the whole file, as the worker threads of `emotune run` do. */
const memo = keepLoads();
const generate = (args: GeneratorArgs) => runEmbeddedGenerator(args, EMBEDDED, memo);

const base = (over: Partial<GeneratorArgs>): GeneratorArgs => ({
  data_root: 'dataset/co-representation',
  exp_path: 'exp',
  task_type: '4-cls',
  num_songs: '1',
  emo_tag: '2',
  save_tokens_json: '1',
  load_ckt: 'checkpoints',
  load_ckt_loss: '8',
  load_dict: 'train_dictionary.pkl',
  ...over,
});

const filesOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f))]),
  );

/** Share of note steps whose `field` column equals `target`. */
function adherence(model: CpModel, rows: number[][], field: string, target: number): [number, number] {
  const c = model.vocab.column;
  const notes = rows.filter((r) => r[c.type!] === model.ids.typeNote);
  return [notes.filter((r) => r[c[field]!] === target).length, notes.length];
}

describe('embedded generator', () => {
  it('inference-deterministic: the same arguments give byte-identical files (npy, mid, meta, tokens)', async () => {
    const args = base({
      mode: 'inference-deterministic',
      conditions: '{"velocity": "Note_Velocity_58"}',
      key_tag: 'E:min',
      out_dir: join(tmp, 'det'),
    });
    await generate(args);
    const first = filesOf(join(tmp, 'det'));
    await generate(args);
    expect(filesOf(join(tmp, 'det'))).toEqual(first);
    expect(Object.keys(first)).toHaveLength(4);
    // Output folder does not change the music: npy and mid equal from another folder.
    await generate({ ...args, out_dir: join(tmp, 'det2') });
    const other = filesOf(join(tmp, 'det2'));
    for (const f of Object.keys(first).filter((n) => n.endsWith('.npy') || n.endsWith('.mid')))
      expect(other[f]).toEqual(first[f]);
  });

  it('inference-primed is reproducible from its arguments and changes with --seed', async () => {
    const args = base({ mode: 'inference-primed', num_songs: '2', out_dir: join(tmp, 'p1') });
    await generate(args);
    await generate({ ...args, out_dir: join(tmp, 'p2') });
    const a = filesOf(join(tmp, 'p1'));
    const b = filesOf(join(tmp, 'p2'));
    const npys = Object.keys(a).filter((f) => f.endsWith('.npy'));
    expect(npys).toHaveLength(2);
    for (const f of npys) expect(b[f]).toEqual(a[f]);
    expect(a[npys[0]!]).not.toEqual(a[npys[1]!]);
    await generate({ ...args, seed: '99', out_dir: join(tmp, 'p3') });
    const c = filesOf(join(tmp, 'p3'));
    const cNpy = Object.keys(c).filter((f) => f.endsWith('.npy'));
    expect(c[cNpy[0]!]).not.toEqual(a[npys[0]!]);
  });

  it('writes the meta fields of the main_cp.py contract with indices resolved from labels', async () => {
    const out = join(tmp, 'meta');
    await generate(
      base({
        mode: 'inference-primed',
        conditions: '{"duration": "Note_Duration_1080"}',
        key_tag: 'A:maj',
        out_dir: out,
      }),
    );
    const metaFile = readdirSync(out).find((f) => f.endsWith('.meta.json'))!;
    const meta = JSON.parse(readFileSync(join(out, metaFile), 'utf8'));
    expect(meta).toMatchObject({
      inference_mode: 'inference-primed',
      emotion_tag: 2,
      key_tag: 'A:maj',
      conditions_indices: { duration: 2 },
    });
    expect(meta.vocab_order).toEqual([
      'tempo',
      'chord',
      'bar-beat',
      'type',
      'pitch',
      'duration',
      'velocity',
      'emotion',
      'key',
    ]);
    expect(meta.paths.npy).toBe(join(out, metaFile.replace('.meta.json', '.npy')));
    const arr = parseNpy(readFileSync(meta.paths.npy));
    expect(arr.dtype).toBe('int64');
    expect(arr.shape[1]).toBe(9);
    const rows = toRows(arr);
    expect(rows[0]![8]).toBe(indexOf(scratch.vocab, 'key', 'A:maj'));
    expect(rows[0]![7]).toBe(indexOf(scratch.vocab, 'emotion', 2));
    expect(readFileSync(meta.paths.midi).subarray(0, 4).toString()).toBe('MThd');
    const tokens = JSON.parse(readFileSync(join(out, metaFile.replace('.meta.json', '.tokens.json')), 'utf8'));
    expect(tokens[0]).toMatchObject({ type: 'Emotion', emotion: 2, key: 'A:maj' });
    expect(tokens.at(-1).type).toBe('EOS');
  });

  it("an unconditioned song draws its duration attribute from its emotion's training clips; a duration condition replaces the draw", () => {
    const req = { mode: 'inference-primed' as const, emotion: 3, conditions: {}, force: {}, seed: 11, maxSteps: 300 };
    const drawn = generateSong(pretrained, req).attributes.duration;
    expect(Object.keys(pretrained.data.song_attributes.e3!.duration!)).toContain(String(drawn));
    const target = indexOf(pretrained.vocab, 'duration', 'Note_Duration_1080');
    expect(generateSong(pretrained, { ...req, conditions: { duration: target } }).attributes.duration).toBe(
      attributeFor(pretrained, 'duration', target),
    );
  });

  it('inference-forced: every note step takes the forced value (100%), for both models', () => {
    for (const [model, key] of [
      [scratch, 'E:min'],
      [pretrained, undefined],
    ] as const) {
      for (const [field, label] of [
        ['duration', 'Note_Duration_1080'],
        ['velocity', 'Note_Velocity_100'],
        ['pitch', 'Note_Pitch_64'],
      ] as const) {
        const target = indexOf(model.vocab, field, label);
        for (let seed = 0; seed < 5; seed++) {
          const song = generateSong(model, {
            mode: 'inference-forced',
            emotion: 1 + (seed % 4),
            key,
            conditions: {},
            force: { [field]: target },
            seed,
            maxSteps: 600,
          });
          const [hit, total] = adherence(model, song.rows, field, target);
          expect(total).toBeGreaterThan(0);
          expect(hit).toBe(total);
        }
      }
    }
  });

  /** Share of notes taking `target`, per song, for one mode over 16 seeds (4 per quadrant). */
  function shares(
    model: CpModel,
    mode: 'inference-primed' | 'inference-deterministic' | 'inference-forced',
    field: 'duration' | 'velocity',
    target: number | undefined,
  ): number[] {
    const out: number[] = [];
    const t = indexOf(model.vocab, field, field === 'duration' ? 'Note_Duration_1080' : 'Note_Velocity_58');
    for (let seed = 0; seed < 16; seed++) {
      const steer = target === undefined ? {} : { [field]: target };
      const req = {
        mode,
        emotion: 1 + (seed % 4),
        key: model.data.key_aware ? 'C:maj' : undefined,
        seed,
        maxSteps: 400,
      };
      const song = generateSong(model, {
        ...req,
        conditions: mode === 'inference-forced' ? {} : steer,
        force: mode === 'inference-forced' ? steer : {},
      });
      const [hit, total] = adherence(model, song.rows, field, t);
      out.push(hit / total);
    }
    return out;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('inference-primed and -deterministic: a condition is learned context, raising adherence well above unconditioned but not to 100 %', () => {
    for (const model of [scratch, pretrained]) {
      for (const [field, label] of [
        ['duration', 'Note_Duration_1080'],
        ['velocity', 'Note_Velocity_58'],
      ] as const) {
        const target = indexOf(model.vocab, field, label);
        const base = mean(shares(model, 'inference-primed', field, undefined));
        for (const mode of ['inference-primed', 'inference-deterministic'] as const) {
          const per = shares(model, mode, field, target);
          expect(mean(per)).toBeGreaterThan(1.5 * base + 0.01);
          expect(mean(per)).toBeLessThan(0.9);
          // The model decides note by note: songs differ in how often they take the value.
          expect(Math.max(...per) - Math.min(...per)).toBeGreaterThan(0.05);
        }
      }
    }
  });

  it('inference-deterministic is sampling with a seed fixed by the request, not forced: notes vary in the conditioned field and other fields', () => {
    const target = indexOf(pretrained.vocab, 'velocity', 'Note_Velocity_58');
    const req = {
      mode: 'inference-deterministic' as const,
      emotion: 2,
      conditions: { velocity: target },
      force: {},
      seed: 11,
      maxSteps: 400,
    };
    const a = generateSong(pretrained, req);
    expect(generateSong(pretrained, req).rows).toEqual(a.rows);
    const forced = generateSong(pretrained, {
      ...req,
      mode: 'inference-forced',
      conditions: {},
      force: { velocity: target },
    });
    expect(a.rows).not.toEqual(forced.rows);
    const c = pretrained.vocab.column;
    const notes = a.rows.filter((r) => r[c.type!] === pretrained.ids.typeNote);
    expect(new Set(notes.map((r) => r[c.velocity!])).size).toBeGreaterThan(2);
    expect(new Set(notes.map((r) => r[c.duration!])).size).toBeGreaterThan(2);
  });

  it("key-aware songs are written in the requested key as context (no transposition): the reference notebook's detector finds it in most songs", async () => {
    const { detectKeyReference } = await import('../../../src/metrics/key-reference.js');
    const { cpToScore } = await import('../../../src/formats/cp-to-notes.js');
    for (const key of ['D:maj', 'E:min']) {
      let hits = 0;
      for (let seed = 0; seed < 12; seed++) {
        const song = generateSong(scratch, {
          mode: 'inference-primed',
          emotion: 1 + (seed % 4),
          key,
          conditions: {},
          force: {},
          seed,
          maxSteps: 500,
        });
        expect(song.key).toBe(key);
        hits += +(
          detectKeyReference(cpToScore(song.rows, scratch.vocab.order, scratch.vocab.word2event).notes).key === key
        );
      }
      expect(hits).toBeGreaterThanOrEqual(8);
    }
  });

  it("accepts flat key tags and writes them in the vocabulary's sharps", async () => {
    const out = join(tmp, 'flat');
    await generate(base({ mode: 'inference-primed', key_tag: 'Bb:maj', out_dir: out }));
    const meta = JSON.parse(
      readFileSync(
        join(
          out,
          readdirSync(out).find((f) => f.endsWith('.meta.json'))!,
        ),
        'utf8',
      ),
    );
    expect(meta.key_tag).toBe('A#:maj');
    const rows = toRows(parseNpy(readFileSync(meta.paths.npy)));
    expect(rows[0]![8]).toBe(indexOf(scratch.vocab, 'key', 'A#:maj'));
  });
});
