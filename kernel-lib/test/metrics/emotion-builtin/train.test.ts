import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../../src/errors.js';
import { parseEmopiaLabels, songOf } from '../../../src/metrics/emotion-builtin/dataset.js';
import { loadSplitFeatures } from '../../../src/metrics/edge/emopia-dataset.js';
import {
  evaluateOnExamples,
  heldOutSentence,
  trainingOverlapWarning,
} from '../../../src/metrics/emotion-builtin/evaluate.js';
import { minimizeLbfgs } from '../../../src/metrics/emotion-builtin/lbfgs.js';
import { parseClassifierModel, serializeClassifierModel } from '../../../src/metrics/emotion-builtin/model.js';
import { trainSoftmax, logits } from '../../../src/metrics/emotion-builtin/softmax-regression.js';
import { songFolds, trainClassifier } from '../../../src/metrics/emotion-builtin/train.js';
import { trainClassifierFromDir } from '../../../src/metrics/edge/classifier-training.js';
import { tempDir } from '../../helpers.js';
import { fixtureDir } from './helpers.js';

// Each training fits 6 models (5 cross-validation folds for the temperature, then all clips): slow on a busy machine.
describe('classifier training', { timeout: 180_000 }, () => {
  it('L-BFGS finds the minimum of a convex quadratic', () => {
    const target = [3, -2, 0.5];
    const r = minimizeLbfgs((x) => {
      let value = 0;
      const gradient = new Float64Array(3);
      for (let i = 0; i < 3; i++) {
        const diff = x[i]! - target[i]!;
        value += (i + 1) * diff ** 2;
        gradient[i] = 2 * (i + 1) * diff;
      }
      return { value, gradient };
    }, new Float64Array(3));
    expect(r.converged).toBe(true);
    for (let i = 0; i < 3; i++) expect(r.x[i]).toBeCloseTo(target[i]!, 6);
  });

  it('softmax regression separates a separable toy problem', () => {
    const X = [
      [0, 0],
      [0, 1],
      [5, 0],
      [5, 1],
      [0, 5],
      [1, 5],
    ];
    const y = [0, 0, 1, 1, 2, 2];
    const w = trainSoftmax(X, y, 3, { l2: 0.001 });
    X.forEach((x, i) => {
      const z = logits(w, x);
      expect(z.indexOf(Math.max(...z))).toBe(y[i]);
    });
  });

  it('refuses training data that would give NaN weights: ragged rows, unknown labels, missing class weights', () => {
    const X = [
      [0, 1],
      [1, 0],
    ];
    expect(() => trainSoftmax([[0, 1], [1]], [0, 1], 2, { l2: 0.01 })).toThrow(/row 1 has 1 features/);
    expect(() => trainSoftmax(X, [0, 2], 2, { l2: 0.01 })).toThrow(/label 2 of row 1/);
    expect(() => trainSoftmax(X, [0], 2, { l2: 0.01 })).toThrow(/2 rows but 1 labels/);
    expect(() => trainSoftmax(X, [0, 1], 2, { l2: 0.01, classWeights: [1] })).toThrow(/1 class weights for 2/);
    expect(() => logits({ weights: [[1, 1]], bias: [0] }, [1])).toThrow(/needs a bias and 2 features/);
  });

  it('trains byte-identically twice, and independently of the order of labels.csv rows', async () => {
    const a = serializeClassifierModel(await trainClassifierFromDir(fixtureDir, { split: 'val' }));
    const b = serializeClassifierModel(await trainClassifierFromDir(fixtureDir, { split: 'val' }));
    expect(b).toBe(a);
    // Same clips, rows reversed.
    const dir = tempDir();
    const [header, ...rows] = readFileSync(join(fixtureDir, 'labels.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'labels.csv'), [header, ...rows.reverse()].join('\r\n'));
    symlinkSync(join(fixtureDir, 'midis'), join(dir, 'midis'));
    expect(serializeClassifierModel(await trainClassifierFromDir(dir, { split: 'val' }))).toBe(a);
    // A different setting gives a different file (the comparison above can fail).
    expect(
      serializeClassifierModel(await trainClassifierFromDir(fixtureDir, { split: 'val', gbt: { rounds: 20 } })),
    ).not.toBe(a);
  });

  it('rebuilds the committed model of the 40-clip subset byte for byte (what train-classifier promises for the shipped model)', async () => {
    // Regenerate after a deliberate change with:
    // emotune train-classifier --data kernel-lib/test/metrics/emotion-builtin/fixtures/emopia-val --split val --out kernel-lib/test/metrics/emotion-builtin/fixtures/emopia-val/expected-model.json
    const expected = readFileSync(join(fixtureDir, 'expected-model.json'), 'utf8');
    expect(serializeClassifierModel(await trainClassifierFromDir(fixtureDir, { split: 'val' }))).toBe(expected);
  });

  it("keeps a song's clips in one cross-validation fold", async () => {
    const examples = await loadSplitFeatures(fixtureDir, 'val');
    const folds = songFolds(examples, 5);
    const foldOfSong = new Map<string, number>();
    examples.forEach((e, i) => {
      const seen = foldOfSong.get(e.songId!);
      if (seen !== undefined) expect(folds[i]).toBe(seen);
      foldOfSong.set(e.songId!, folds[i]!);
    });
    expect(new Set(folds).size).toBe(5);
  });

  it('learns its training data, and writes a file that reads back the same (every kind of model)', async () => {
    const examples = await loadSplitFeatures(fixtureDir, 'val');
    for (const kind of ['ensemble', 'axes-ensemble', 'boosted-trees', 'arousal-valence', 'multinomial'] as const) {
      const model = trainClassifier(examples, { kind });
      const e = evaluateOnExamples(examples, model);
      expect(e.accuracy, kind).toBeGreaterThanOrEqual(0.7);
      const text = serializeClassifierModel(model);
      expect(serializeClassifierModel(parseClassifierModel(JSON.parse(text))), kind).toBe(text);
    }
  });

  it('records its training songs, and an evaluation says how many clips come from them (figures on seen songs are not held out)', async () => {
    const examples = await loadSplitFeatures(fixtureDir, 'val');
    const model = trainClassifier(examples);
    const songs = [...new Set(examples.map(songOf))].sort();
    expect(model.training.songs).toEqual(songs);
    expect(serializeClassifierModel(parseClassifierModel(JSON.parse(serializeClassifierModel(model))))).toBe(
      serializeClassifierModel(model),
    );

    // Evaluated on its own training clips: every clip is from a seen song, and the report says so.
    const own = evaluateOnExamples(examples, model, 'val');
    expect(own.trainingOverlap).toMatchObject({ known: true, clips: 40, songs: songs.length });
    expect(heldOutSentence(own)).toMatch(/^\*\*not song-disjoint from training\*\*: 40 of its 40 clips/);
    expect(trainingOverlapWarning(own)).toMatch(
      /^40 of 40 clips of split "val" come from songs the classifier was trained on/,
    );

    // Half the songs recorded as training: the shared clips are counted and the rest scored on their own.
    const half = new Set(songs.slice(0, Math.floor(songs.length / 2)));
    const partial = evaluateOnExamples(examples, { ...model, training: { ...model.training, songs: [...half] } });
    const rest = examples.filter((e) => !half.has(songOf(e)));
    const restRight = evaluateOnExamples(rest, model).confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(partial.trainingOverlap).toMatchObject({ known: true, clips: examples.length - rest.length });
    if (!partial.trainingOverlap.known) throw new Error('overlap should be known');
    expect(partial.trainingOverlap.disjoint?.clips).toBe(rest.length);
    expect(partial.trainingOverlap.disjoint?.accuracy.estimate).toBeCloseTo(restRight / rest.length, 12);
    // Its interval also resamples the songs left, as the main figure's does (clips of one song are not independent).
    const restSongs = new Set(rest.map(songOf)).size;
    expect(partial.trainingOverlap.disjoint?.songs).toBe(restSongs);
    expect(partial.trainingOverlap.disjoint?.accuracySongBootstrap.n).toBe(restSongs);
    expect(partial.trainingOverlap.disjoint?.accuracySongBootstrap).toEqual(
      evaluateOnExamples(rest, model).accuracySongBootstrap,
    );
    expect(heldOutSentence(partial)).toMatch(
      new RegExp(
        `on its other ${rest.length} clips \\(${restSongs} songs\\) .*\\(Wilson\\), \\[[\\d.]+%, [\\d.]+%\\] resampling its songs$`,
      ),
    );

    // One song left: no interval over songs is claimed.
    const oneLeft = evaluateOnExamples(examples, {
      ...model,
      training: { ...model.training, songs: songs.slice(0, -1) },
    });
    expect(heldOutSentence(oneLeft)).toMatch(/\(1 song\) .*\(Wilson\), one song: no interval over songs$/);

    // No shared song: held out, and no warning; a model that records no songs is not called held out.
    const disjoint = evaluateOnExamples(examples, { ...model, training: { ...model.training, songs: [] } });
    expect(heldOutSentence(disjoint)).toMatch(/^song-disjoint from training: none of its \d+ songs/);
    expect(trainingOverlapWarning(disjoint)).toBeUndefined();
    const { songs: _dropped, ...older } = model.training;
    const unknown = evaluateOnExamples(examples, { ...model, training: older });
    expect(heldOutSentence(unknown)).toMatch(/not checked: the model does not record its training songs/);
    expect(() =>
      parseClassifierModel({ ...JSON.parse(serializeClassifierModel(model)), training: { ...older, songs: 5 } }),
    ).toThrow(/training\.songs/);
  });

  it('refuses training data that lacks a quadrant', async () => {
    const examples = (await loadSplitFeatures(fixtureDir, 'val')).filter((e) => e.quadrant !== 3);
    expect(() => trainClassifier(examples)).toThrow(/every quadrant/);
  });

  it('reports a missing data folder and an unknown split clearly', async () => {
    await expect(trainClassifierFromDir('/nonexistent/emopia')).rejects.toThrow(
      /\/nonexistent\/emopia\/labels\.csv: cannot read labels/,
    );
    await expect(trainClassifierFromDir(fixtureDir, { split: 'train' })).rejects.toThrow(
      /no clips in the training split/,
    );
  });

  it('names the clip that cannot be read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'midis'));
    writeFileSync(join(dir, 'labels.csv'), 'file,quadrant,split\nmidis/bad.mid,Q1,train\n');
    writeFileSync(join(dir, 'midis', 'bad.mid'), 'MThd garbage');
    await expect(trainClassifierFromDir(dir)).rejects.toThrow(/bad\.mid/);
  });
});

describe('labels.csv parsing', () => {
  it('reads CRLF files and the quadrant, song and split columns', () => {
    const clips = parseEmopiaLabels(
      'file,quadrant,valence,arousal,song_id,seg,split\r\nmidis/a.mid,Q3,low,low,s1,0,val\r\n',
    );
    expect(clips).toEqual([{ file: 'midis/a.mid', quadrant: 3, songId: 's1', songIdSource: 'song_id', split: 'val' }]);
  });

  it('names the line and column of a bad row', () => {
    expect(() => parseEmopiaLabels('file,quadrant,split\nmidis/a.mid,Q5,val\n', 'labels.csv')).toThrow(
      /labels\.csv: line 2\.quadrant: bad quadrant/,
    );
    expect(() => parseEmopiaLabels('file,quadrant,split\nmidis/a.mid,Q1\n', 'labels.csv')).toThrow(/line 2/);
    expect(() => parseEmopiaLabels('file,split\n', 'labels.csv')).toThrow(EmotuneError);
    expect(() => parseEmopiaLabels('file,split\n', 'labels.csv')).toThrow(/"quadrant" column/);
  });
});
