import { describe, expect, it } from 'vitest';
import { parseEmopiaLabels, songFromClipFile } from '../../../src/formats/emopia-labels.js';
import { loadSplitFeatures } from '../../../src/metrics/edge/emopia-dataset.js';
import {
  evaluateOnExamples,
  heldOutSentence,
  trainingOverlapWarning,
} from '../../../src/metrics/emotion-builtin/evaluate.js';
import { checkTrainingSongs } from '../../../src/metrics/emotion-builtin/held-out.js';
import { trainClassifier } from '../../../src/metrics/emotion-builtin/train.js';
import { fixtureDir } from './helpers.js';

describe('the song of a clip', () => {
  it('is the song part of an EMOPIA clip name wherever the file lies, else the file name itself', () => {
    for (const f of ['midis/Q1_0vLPYiPN7qY_12.mid', 'Q1_0vLPYiPN7qY_0.mid', '/abs/x/Q1_0vLPYiPN7qY_3.MID'])
      expect(songFromClipFile(f)).toEqual({ songId: '0vLPYiPN7qY', source: 'clip-name' });
    // Song ids may hold underscores; the segment is the last part.
    expect(songFromClipFile('midis/Q4_a_b_c_7.mid')).toEqual({ songId: 'a_b_c', source: 'clip-name' });
    expect(songFromClipFile('midis/take-3.mid')).toEqual({ songId: 'take-3', source: 'file' });
    expect(songFromClipFile('midis/Q5_x_1.mid')).toEqual({ songId: 'Q5_x_1', source: 'file' });
  });

  it('comes from labels.csv song_id when the column has it, else from the file name', () => {
    const rows = parseEmopiaLabels(
      'file,quadrant,song_id,split\nmidis/Q1_abc_0.mid,Q1,S9,train\nmidis/Q2_abc_1.mid,Q2,,train\nmidis/x.mid,Q3,,val\n',
    );
    expect(rows.map((r) => [r.songId, r.songIdSource])).toEqual([
      ['S9', 'song_id'],
      ['abc', 'clip-name'],
      ['x', 'file'],
    ]);
    expect(parseEmopiaLabels('file,quadrant,split\nmidis/Q3_abc_4.mid,Q3,val\n')[0]).toMatchObject({
      songId: 'abc',
      songIdSource: 'clip-name',
    });
  });
});

describe('whether evaluated clips are new music to the classifier', { timeout: 120_000 }, () => {
  it('finds training songs in a labels.csv without song_id (EMOPIA clip names), and does not call file names song-disjoint', async () => {
    const examples = await loadSplitFeatures(fixtureDir, 'val');
    const model = trainClassifier(examples, { gbt: { rounds: 10 } });
    expect(model.training.songIdsFrom).toBe('song_id');

    // The same clips with no song_id column: their songs are read from the clip names and still found.
    const unnamed = examples.map(({ songId: _s, songIdSource: _k, ...rest }) => rest);
    const found = evaluateOnExamples(unnamed, model, 'val');
    expect(found.trainingOverlap).toMatchObject({ known: true, clips: 40, splitNaming: 'clip-name' });
    expect(heldOutSentence(found)).toMatch(/^\*\*not song-disjoint from training\*\*: 40 of its 40 clips/);

    // Clips named otherwise and without song ids: nothing matches, and that is not called song-disjoint.
    const renamed = unnamed.map((e, i) => ({ ...e, file: `midis/take-${i}.mid` }));
    const unknown = evaluateOnExamples(renamed, model, 'mine');
    expect(unknown.trainingOverlap).toMatchObject({ known: true, clips: 0, comparable: false, splitNaming: 'file' });
    expect(heldOutSentence(unknown)).toMatch(
      /^song-disjointness from training not established: no clip matches a training song, but the model's training songs were named by labels\.csv's song_id column and these clips' by the clip files alone/,
    );
    expect(trainingOverlapWarning(unknown)).toMatch(/^split "mine" is not shown to be new music to the classifier: /);

    // A model that records how it named its songs only when it does: an older one is not comparable.
    const { songIdsFrom: _n, ...older } = model.training;
    expect(checkTrainingSongs([{ songId: 'zzz', source: 'song_id' }], { ...model, training: older })).toMatchObject({
      clips: 0,
      comparable: false,
      modelNaming: 'unrecorded',
    });
    expect(checkTrainingSongs([{ songId: 'zzz', source: 'song_id' }], model)).toMatchObject({
      clips: 0,
      comparable: true,
    });
  });
});
