import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import { formatComparisonTable } from '../../src/aggregate/comparison-table.js';
import type { RunLike } from '../../src/aggregate/rows.js';
import type { Word2Event } from '../../src/formats/types.js';
import { expectSameRows } from './row-compare.js';

// The parity sample was computed with the reference notebook's Python code (see fixtures/parity-sample/README.md).
const base = fileURLToPath(new URL('../fixtures/parity-sample/', import.meta.url));
const json = (p: string) => JSON.parse(readFileSync(join(base, p), 'utf8'));

describe('the parity sample, analysed as the reference notebook did', async () => {
  const config = json('config.json');
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const m of config.models) word2eventByModel[m.name] = json(m.word2event_path);
  const runs: RunLike[] = json('exp/all_runs_metadata.json');
  const result = await analyzeExperiment({
    expDir: join(base, 'exp'),
    runs,
    word2eventByModel,
    // classifier.mjs: the sample's classifier.py in Node, so no Python is needed
    classifier: { command: [process.execPath, 'classifier.mjs', '{midi}'], cwd: base, timeout_s: 60 },
    concurrency: 8,
  });

  it('gives the expected rows to 1e-9', () => {
    expectSameRows(result.rows, json('expected/evaluation_results_comprehensive.json'));
  });

  it('prints the expected comparison table character for character', () => {
    const table = formatComparisonTable(result.rows, {
      models: config.models.map((m: { name: string }) => m.name),
      modes: config.modes,
      tokensOfInterest: config.tokens_of_interest,
      keyAwareModels: config.models
        .filter((m: { key_aware: boolean }) => m.key_aware)
        .map((m: { name: string }) => m.name),
    });
    expect(table).toBe(readFileSync(join(base, 'expected/table.txt'), 'utf8'));
  });

  it("prints the reference notebook's per-run lines, skipping the failed and timed-out runs", () => {
    const analyzing = result.lines.filter((l) => l.startsWith('Analyzing: '));
    expect(analyzing).toHaveLength(46);
    expect(result.lines[0]).toBe(
      'Analyzing: scratch_inference-deterministic_duration_emo1_keyAmaj_dur1080_20260000000000',
    );
    expect(result.lines).toContain("  Key distribution: {'A:min': 1}");
    expect(
      result.lines.every((l) =>
        /^(Analyzing: \S+| {2}Emotion adherence: \d+\.\d% \(\d+\/\d+\)| {2}Key adherence: \d+\.\d% \(\d+\/\d+\)| {2}Key distribution: \{.*\})$/.test(
          l,
        ),
      ),
    ).toBe(true);
    // token adherence only for the non-forced successful runs
    expect(result.tokenReports.every((r) => r.run.mode !== 'inference-forced' && r.run.returncode === 0)).toBe(true);
    // classifier failures are kept with their reason
    expect(result.problems.filter((p) => p.stage === 'emotion').every((p) => p.reason.startsWith('exit code 1'))).toBe(
      true,
    );
  });
});
