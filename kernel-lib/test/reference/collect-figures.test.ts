// The reference block's songs take the figures the analysis kept (quality, keys, classifier features) instead
// of reading every MIDI file again: the same songs either way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import type { RunLike } from '../../src/aggregate/rows.js';
import type { Word2Event } from '../../src/formats/types.js';
import { collectReferenceSongs } from '../../src/reference/collect.js';

const base = fileURLToPath(new URL('../fixtures/parity-sample/', import.meta.url));
const json = (p: string) => JSON.parse(readFileSync(join(base, p), 'utf8'));

describe('reference songs from the analysis figures', () => {
  it('are the songs read from the files', async () => {
    const config = json('config.json');
    const word2eventByModel: Record<string, Word2Event> = {};
    for (const m of config.models) word2eventByModel[m.name] = json(m.word2event_path);
    const runs: RunLike[] = json('exp/all_runs_metadata.json');
    const expDir = join(base, 'exp');
    const analysis = await analyzeExperiment({
      expDir,
      runs,
      word2eventByModel,
      classifier: { command: ['emotune', 'classify', '{midi}'], cwd: base, timeout_s: 60 },
    });
    expect(analysis.figures.midi.size).toBeGreaterThan(0);
    const fromFigures = await collectReferenceSongs(analysis, { expDir });
    const fromFiles = await collectReferenceSongs({ emotionKeyReports: analysis.emotionKeyReports }, { expDir });
    expect(fromFigures.songs.filter((s) => s.features).length).toBeGreaterThan(0);
    expect(JSON.stringify(fromFigures)).toBe(JSON.stringify(fromFiles));
  });
});
