// tslab compiles notebook cells with its own TypeScript 5.0 and Node10 module resolution and refuses a cell with a
// type error: the published .d.ts of @emotune/kernel-lib must type-check there, through package.json main/types.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers.js';
import { tslabDiagnostics, tslabTypeScript } from './tslab-program.js';

describe("the published types under tslab's TypeScript", () => {
  it('type-check a notebook-like file with TypeScript 5.0 and node10 resolution', () => {
    const ts = tslabTypeScript();
    expect(ts.version.startsWith('5.0')).toBe(true);
    expect(existsSync(join(repoRoot, 'kernel-lib', 'dist', 'index.d.ts')), 'build first').toBe(true);
    const dir = join(repoRoot, 'notebooks', '.types-check');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'cell.ts');
    writeFileSync(
      file,
      [
        'import * as et from "@emotune/kernel-lib";',
        'async function cell() {',
        '  const config = await et.loadConfig("config.json");',
        '  const vocabs = await et.loadModelVocabularies(config.models);',
        '  const plan = et.buildPlan(config, vocabs);',
        '  const progress = et.createRunProgressDisplay({ title: "runs" });',
        '  const run = await et.runPlan({ config: config, plan: plan, word2eventByModel: vocabs, onProgress: progress.onProgress });',
        '  const analysis = await et.analyzeExperiment({ expDir: config.paths.exp, runs: run.records, word2eventByModel: vocabs });',
        '  const text: string = et.formatComparisonTable(analysis.rows, { models: ["a"], modes: config.modes, tokensOfInterest: [] });',
        '  et.showTable(analysis.rows, { title: text.slice(0, 10) });',
        '  const ext = et.buildExtendedResults(await et.collectExtendedInputs(analysis, { expDir: "x", word2eventByModel: vocabs }), { seed: 1 });',
        '  et.showTable(et.modeSummaryRecords(ext));',
        '  const { reference } = await et.attachReference(ext, analysis, { expDir: config.paths.exp, classifier: config.classifier, seed: config.random_seed });',
        '  for (const t of et.referenceTables(reference)) et.showTable(t.records, { title: t.title, columns: t.columns });',
        '  for (const note of reference.notes) console.log(note);',
        '  const q: number = et.qualityOfMidi(new Uint8Array(0)).polyphony;',
        '  et.showPianoRoll((await et.readMidi("a.mid")).notes);',
        '  const k = et.detectKeyWith("best", []);',
        '  return k.key;',
        '}',
        'void cell;',
      ].join('\n'),
    );
    expect(tslabDiagnostics(file, { skipLibCheck: false }).map((d) => d.text)).toEqual([]);
  });
});
