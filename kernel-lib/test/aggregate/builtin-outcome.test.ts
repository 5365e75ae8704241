// The analysis classifies with the built-in classifier from the score and features it already has: the same
// outcomes, file for file, as the worker thread that reads and classifies each file itself.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import { builtinOutcome } from '../../src/aggregate/builtin-outcome.js';
import type { RunLike } from '../../src/aggregate/rows.js';
import { readMidi } from '../../src/formats/midi-read.js';
import type { Word2Event } from '../../src/formats/types.js';
import { builtinOutputText, classifyFileWithBuiltin } from '../../src/metrics/builtin-classify-file.js';
import { loadClassifier } from '../../src/metrics/emotion-builtin/model.js';
import { outcomeFromOutput } from '../../src/metrics/emotion-command.js';

const base = fileURLToPath(new URL('../fixtures/parity-sample/', import.meta.url));
const json = (p: string) => JSON.parse(readFileSync(join(base, p), 'utf8'));

/** What the in-process worker returns for a file (cli/in-process-worker.ts), parsed as the session parses it. */
async function asWorker(file: string) {
  const r = await classifyFileWithBuiltin(file, loadClassifier());
  return outcomeFromOutput(file, { returncode: r.ok ? 0 : 1, ...builtinOutputText(r) });
}

describe('the built-in classifier inside the analysis', () => {
  it('gives every run the emotion figures the worker gives, reading each file once', async () => {
    const config = json('config.json');
    const word2eventByModel: Record<string, Word2Event> = {};
    for (const m of config.models) word2eventByModel[m.name] = json(m.word2event_path);
    const runs: RunLike[] = json('exp/all_runs_metadata.json');
    const expDir = join(base, 'exp');
    const here = await analyzeExperiment({
      expDir,
      runs,
      word2eventByModel,
      classifier: { command: ['emotune', 'classify', '{midi}'], cwd: base, timeout_s: 60 },
    });
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
