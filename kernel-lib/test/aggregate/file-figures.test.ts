// The extended results take per-file figures from the analysis's own reads: the same figures as reading the
// files again, with the MIDI files of key runs read once instead of twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import { collectExtendedInputs } from '../../src/aggregate/extended-results.js';
import { newFileFigures } from '../../src/aggregate/file-figures.js';
import type { RunLike } from '../../src/aggregate/rows.js';
import { readMidi } from '../../src/formats/midi-read.js';
import type { Word2Event } from '../../src/formats/types.js';

const base = fileURLToPath(new URL('../fixtures/parity-sample/', import.meta.url));
const json = (p: string) => JSON.parse(readFileSync(join(base, p), 'utf8'));

describe('per-file figures computed during the analysis', async () => {
  const config = json('config.json');
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const m of config.models) word2eventByModel[m.name] = json(m.word2event_path);
  const runs: RunLike[] = json('exp/all_runs_metadata.json');
  const expDir = join(base, 'exp');
  const result = await analyzeExperiment({ expDir, runs, word2eventByModel });

  it('are what reading every file again gives', async () => {
    const counted: string[] = [];
    const reread = await collectExtendedInputs(
      { ...result, figures: newFileFigures() },
      { expDir, word2eventByModel, readMidi: (p) => (counted.push(p), readMidi(p)) },
    );
    const analysed = new Set(result.figures.midi.keys());
    const reused: string[] = [];
    const fromAnalysis = await collectExtendedInputs(result, {
      expDir,
      word2eventByModel,
      readMidi: (p) => (reused.push(p), readMidi(p)),
    });
    expect(fromAnalysis).toEqual(reread);
    expect(result.figures.note.size).toBeGreaterThan(0);
    expect(result.figures.midi.size).toBeGreaterThan(0);
    // Only the MIDI files the analysis did not read (runs without a key) are read by the extended results.
    expect(reused.length).toBe(counted.length - analysed.size);
    expect(reused.some((p) => analysed.has(p))).toBe(false);
    // ... and their figures join the analysis's, so the reference block reads none of them again.
    expect(reused.every((p) => result.figures.midi.has(p))).toBe(true);
  });
  it("keep each run folder's MIDI listing, which the extended results use instead of listing it again", async () => {
    const folders = result.figures.folders!;
    expect(folders.size).toBe(result.emotionKeyReports.length);
    const reread = await collectExtendedInputs({ ...result, figures: newFileFigures() }, { expDir, word2eventByModel });
    // A listing that names no file leaves that run without MIDI figures: the kept listing is what is used.
    const emptied = { ...result.figures, folders: new Map([...folders.keys()].map((k) => [k, [] as string[]])) };
    const fromEmpty = await collectExtendedInputs({ ...result, figures: emptied }, { expDir, word2eventByModel });
    expect(fromEmpty.every((r) => r.midiFiles.length === 0)).toBe(true);
    expect(reread.some((r) => r.midiFiles.length > 0)).toBe(true);
  });
  it("are not computed with keepFigures: false, which gives the same rows and lines (the Python method's work)", async () => {
    const alone = await analyzeExperiment({ expDir, runs, word2eventByModel, keepFigures: false });
    expect(alone.rows).toEqual(result.rows);
    expect(alone.lines).toEqual(result.lines);
    expect(alone.problems).toEqual(result.problems);
    expect(alone.figures.note.size + alone.figures.midi.size).toBe(0);
    // The extended results measure the files themselves then, to the same inputs.
    expect(await collectExtendedInputs(alone, { expDir, word2eventByModel })).toEqual(
      await collectExtendedInputs({ ...result, figures: newFileFigures() }, { expDir, word2eventByModel }),
    );
  });
});
