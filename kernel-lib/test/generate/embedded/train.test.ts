import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDictionaryPkl } from '../../../src/vocab/pickle.js';
import { detectKeyWith } from '../../../src/metrics/key-methods/methods.js';
import { MODEL_FILES, TRAINING_KEY_METHOD, trainEmbeddedModels } from '../../../src/generate/embedded/train.js';
import { parseModel } from '../../../src/generate/embedded/model-file.js';
import { BackoffTable } from '../../../src/generate/embedded/ngram.js';
import { makeVocab, withKeyType } from '../../../src/generate/embedded/vocabulary.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'emopia-mini');
const EMBEDDED = join(import.meta.dirname, '..', '..', '..', 'embedded');
const keyFinder = (notes: Parameters<typeof detectKeyWith>[1]) => detectKeyWith(TRAINING_KEY_METHOD, notes);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'emotune-train-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('embedded model training', () => {
  it('rebuilds byte-identical model files from the same data and seed', async () => {
    const a = await trainEmbeddedModels({ dataDir: FIXTURES, outDir: join(tmp, 'a'), keyFinder, seed: 3 });
    const b = await trainEmbeddedModels({ dataDir: FIXTURES, outDir: join(tmp, 'b'), keyFinder, seed: 3 });
    expect(a.clips).toBe(8); // the train rows of the fixture only
    for (const name of ['scratch', 'pretrained'] as const) {
      const bytes = readFileSync(a.files[name]);
      expect(bytes.length).toBeGreaterThan(1000);
      expect(readFileSync(b.files[name])).toEqual(bytes);
    }
    const c = await trainEmbeddedModels({ dataDir: FIXTURES, outDir: join(tmp, 'c'), keyFinder, seed: 3, limit: 4 });
    expect(readFileSync(c.files.pretrained)).not.toEqual(readFileSync(a.files.pretrained));
  });

  it('writes models the generator loads: scratch key-aware with the key vocabulary, pretrained without', async () => {
    const out = join(tmp, 'load');
    const r = await trainEmbeddedModels({ dataDir: FIXTURES, outDir: out, keyFinder, validate: true });
    const { word2event } = await readDictionaryPkl(join(FIXTURES, 'co-representation', 'dictionary.pkl'));
    const scratch = parseModel(
      readFileSync(r.files.scratch, 'utf8'),
      r.files.scratch,
      makeVocab(withKeyType(word2event)),
    );
    const pretrained = parseModel(readFileSync(r.files.pretrained, 'utf8'), r.files.pretrained, makeVocab(word2event));
    expect(scratch.data.key_aware).toBe(true);
    expect(pretrained.data.key_aware).toBe(false);
    // Key-aware conditions carry the mode (e1M / e3m); pretrained ones only the emotion.
    expect(Object.keys(scratch.data.training.conditions).every((k) => /^e[1-4][Mm]$/.test(k))).toBe(true);
    expect(Object.keys(pretrained.data.training.conditions).sort()).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(r.val!.pretrained.steps).toBeGreaterThan(0);
    expect(Number.isFinite(r.val!.pretrained.logLikPerStep)).toBe(true);
  });

  it('learns the key context, song attributes and played timing from the clips', async () => {
    const r = await trainEmbeddedModels({ dataDir: FIXTURES, outDir: join(tmp, 'ctx'), keyFinder });
    const { word2event } = await readDictionaryPkl(join(FIXTURES, 'co-representation', 'dictionary.pkl'));
    const scratch = parseModel(
      readFileSync(r.files.scratch, 'utf8'),
      r.files.scratch,
      makeVocab(withKeyType(word2event)),
    );
    const profiles = Object.keys(scratch.data.key_profiles);
    expect(profiles.length).toBeGreaterThan(0);
    expect(profiles.every((k) => /^e[1-4][Mm]$/.test(k))).toBe(true);
    // Key counts per emotion add up to the clips; each profile counted notes relative to the clip's tonic.
    expect(
      Object.values(scratch.data.keys)
        .flatMap((m) => Object.values(m))
        .reduce((a, b) => a + b, 0),
    ).toBe(8);
    expect(Object.values(scratch.data.key_profiles).every((p) => p.pitch.reduce((a, b) => a + b, 0) > 0)).toBe(true);
    expect(scratch.data.attributes_seen.duration!.length).toBeGreaterThan(0);
    // Song attributes per emotion: one most frequent duration per clip, so the counts add up to the clips.
    expect(
      Object.values(scratch.data.song_attributes)
        .flatMap((m) => Object.values(m.duration ?? {}))
        .reduce((a, b) => a + b, 0),
    ).toBe(8);
    expect(scratch.data.timing.position.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('rejects a model whose song attributes name an index outside the field, naming the field', async () => {
    const r = await trainEmbeddedModels({ dataDir: FIXTURES, outDir: join(tmp, 'bad-attr'), keyFinder });
    const { word2event } = await readDictionaryPkl(join(FIXTURES, 'co-representation', 'dictionary.pkl'));
    const doc = JSON.parse(readFileSync(r.files.pretrained, 'utf8'));
    const emotion = Object.keys(doc.song_attributes)[0]!;
    doc.song_attributes[emotion].duration = { '99999': 1 };
    expect(() => parseModel(JSON.stringify(doc), r.files.pretrained, makeVocab(word2event))).toThrow(
      `song_attributes.${emotion}.duration.99999`,
    );
  });

  it('Witten-Bell tables give proper distributions and serialise losslessly', () => {
    const t = new BackoffTable(2);
    t.add(['a|1', 'a'], 3);
    t.add(['a|1', 'a'], 3);
    t.add(['a|2', 'a'], 5);
    const support = [1, 3, 5, 7];
    for (const ctx of [
      ['a|1', 'a'],
      ['a|9', 'a'],
      ['z', 'z'],
    ]) {
      const p = t.distribution(ctx, support, 2);
      expect(p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    }
    expect(t.distribution(['a|1', 'a'], support)[1]).toBeGreaterThan(0.5);
    const back = BackoffTable.fromJSON(JSON.parse(JSON.stringify(t.toJSON())), 't');
    expect(back.distribution(['a|2', 'a'], support)).toEqual(t.distribution(['a|2', 'a'], support));
  });

  // Needs the full EMOPIA folder (not shipped): EMOPIA_DIR=/path/to/emopia npx vitest run ...
  const emopia = process.env.EMOPIA_DIR;
  it.skipIf(!emopia || !existsSync(join(emopia ?? '', 'labels.csv')))(
    'committed model files equal a fresh training on the full EMOPIA train split',
    async () => {
      const r = await trainEmbeddedModels({ dataDir: emopia!, outDir: join(tmp, 'full'), keyFinder });
      for (const name of ['scratch', 'pretrained'] as const) {
        expect(readFileSync(r.files[name])).toEqual(readFileSync(join(EMBEDDED, MODEL_FILES[name])));
      }
    },
    900_000,
  );
});
