// The reference block's songs take the figures the analysis kept (quality, keys, classifier features) instead
// of reading every MIDI file again: the same songs either way.
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import { collectReferenceSongs } from '../../src/reference/collect.js';
import { paritySample } from '../aggregate/parity-sample.js';

describe('reference songs from the analysis figures', () => {
  it('are the songs read from the files', async () => {
    const { expDir, runs, word2eventByModel, classifier } = paritySample();
    const analysis = await analyzeExperiment({ expDir, runs, word2eventByModel, classifier });
    expect(analysis.figures.midi.size).toBeGreaterThan(0);
    const fromFigures = await collectReferenceSongs(analysis, { expDir });
    const fromFiles = await collectReferenceSongs({ emotionKeyReports: analysis.emotionKeyReports }, { expDir });
    expect(fromFigures.songs.filter((s) => s.features).length).toBeGreaterThan(0);
    expect(JSON.stringify(fromFigures)).toBe(JSON.stringify(fromFiles));
  });
});
