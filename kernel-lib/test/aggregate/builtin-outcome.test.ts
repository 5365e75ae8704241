// The analysis classifies with the built-in classifier from the score and features it already has: the same
// outcomes, file for file, as the worker thread that reads and classifies each file itself.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import { builtinOutcome } from '../../src/aggregate/builtin-outcome.js';
import { readMidi } from '../../src/formats/midi-read.js';
import { classifyFileWithBuiltin } from '../../src/metrics/edge/builtin-classify-file.js';
import { loadClassifier } from '../../src/metrics/edge/classifier-file.js';
import { builtinOutputText, outcomeFromOutput } from '../../src/metrics/emotion-command.js';
import { paritySample } from './parity-sample.js';

/** What the in-process worker returns for a file (cli/in-process-worker.ts), parsed as the session parses it. */
async function asWorker(file: string) {
  const r = await classifyFileWithBuiltin(file, loadClassifier());
  return outcomeFromOutput(file, { returncode: r.ok ? 0 : 1, ...builtinOutputText(r) });
}

describe('the built-in classifier inside the analysis', () => {
  it('gives every run the emotion figures the worker gives, reading each file once', async () => {
    const { expDir, runs, word2eventByModel, classifier } = paritySample();
    const here = await analyzeExperiment({ expDir, runs, word2eventByModel, classifier });
    const worker = await analyzeExperiment({ expDir, runs, word2eventByModel, classify: asWorker });
    expect(here.emotionKeyReports.length).toBeGreaterThan(0);
    expect(here.emotionKeyReports.some((r) => r.emotion_adherence.total > 0)).toBe(true);
    expect(here.emotionKeyReports).toEqual(worker.emotionKeyReports);
    expect(here.rows).toEqual(worker.rows);
  });

  it('reports an unreadable or note-less file as the worker does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'builtin-outcome-'));
    const broken = join(dir, 'broken.mid');
    writeFileSync(broken, 'not a midi file');
    const error = await readMidi(broken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(builtinOutcome(broken, { error }, loadClassifier())).toEqual(await asWorker(broken));
    const empty = join(fileURLToPath(new URL('../fixtures/midi/', import.meta.url)), 'small-piano.mid');
    const score = await readMidi(empty);
    const silent = { ...score, notes: [] };
    const outcome = builtinOutcome(empty, { score: silent }, loadClassifier());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(/^exit code 1: emotune classify: .*no pitched notes/);
  });
});
