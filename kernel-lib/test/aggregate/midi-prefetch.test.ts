// `emotune evaluate` reads each finished run's MIDI files while later runs generate: the analysis then takes
// those reads instead of reading the files itself, with the same results.
import { describe, expect, it } from 'vitest';
import { analyzeExperiment, resolveOutDir } from '../../src/aggregate/analyze-experiment.js';
import { createMidiPrefetch, type MidiPrefetch } from '../../src/aggregate/midi-prefetch.js';
import { paritySample } from './parity-sample.js';

describe('MIDI files read while runs generate', () => {
  const { expDir, runs, word2eventByModel, classifier } = paritySample();

  it('give the analysis the results of reading the files itself, and are taken by it', async () => {
    const plain = await analyzeExperiment({ expDir, runs, word2eventByModel, classifier });
    const prefetch = createMidiPrefetch();
    for (const r of runs) if (r.returncode === 0) prefetch.warm(resolveOutDir(expDir, r.out_dir));
    const taken: string[] = [];
    const counting: MidiPrefetch = {
      ...prefetch,
      take: (p) => {
        const read = prefetch.take(p);
        if (read) taken.push(p);
        return read;
      },
    };
    const warmed = await analyzeExperiment({ expDir, runs, word2eventByModel, classifier, prefetch: counting });
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.length).toBe(plain.figures.midi.size);
    expect(warmed.rows).toEqual(plain.rows);
    expect(warmed.emotionKeyReports).toEqual(plain.emotionKeyReports);
    expect(warmed.problems).toEqual(plain.problems);
    expect(warmed.figures).toEqual(plain.figures);
    // Each read is taken once: a second analysis reads the files itself.
    expect(prefetch.take(taken[0]!)).toBeUndefined();
  });
});
