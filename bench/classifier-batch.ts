// 192 MIDI files through a stand-in external classifier whose model takes 2 s to load, measured in the same
// run: one process per file (the `{midi}` protocol, 4 at a time as the analysis runs them) against the batch
// protocol (`{midis}`, batch_size files per process), through the same session the analysis uses. Both must
// give every file the same answer.
//
//   npx tsx bench/classifier-batch.ts [--files 192] [--load 2] [--batch 32] [--concurrency 4]
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openClassifierSession } from '../kernel-lib/src/metrics/edge/classifier-session.js';
import { listMidiFiles } from '../kernel-lib/src/metrics/edge/run-emotion-key.js';
import { stableSuffix } from '../kernel-lib/src/run/prepare.js';
import { makeExperiment, REFERENCE_GRID, writeOutputs } from './lib/experiment.js';
import { arg, f, machineLine, printTable, readmeRow, timeIt, withTempDir } from './lib/measure.js';

const stub = fileURLToPath(new URL('./fixtures/slow-load-classifier.mjs', import.meta.url));
const files = arg('files', 192);
const load = arg('load', 2);
const batch = arg('batch', 32);
const concurrency = arg('concurrency', 4);

console.log(`${files} MIDI files through a stand-in classifier with a ${load} s model load: per file vs batch`);
console.log(machineLine());

await withTempDir('batch', async (dir) => {
  const exp = await makeExperiment(join(dir, 'grid'), REFERENCE_GRID);
  await writeOutputs(exp, { steps: 300 });
  // One folder of `files` MIDI files taken from the grid's outputs.
  const midiDir = join(dir, 'midi');
  await mkdir(midiDir);
  const all: string[] = [];
  for (const run of exp.plan.runs)
    all.push(...(await listMidiFiles(join(exp.config.paths.exp, `${run.out_dir_prefix}${stableSuffix(run)}`))));
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const to = join(midiDir, `song-${String(i).padStart(4, '0')}.mid`);
    await copyFile(all[i % all.length]!, to);
    paths.push(to);
  }
  const classify = async (command: string[], batchSize?: number) => {
    const session = openClassifierSession(
      { command, cwd: dir, timeout_s: 60 + load, ...(batchSize ? { batch_size: batchSize } : {}) },
      concurrency,
    );
    try {
      return await Promise.all(paths.map((p) => session.classify(p)));
    } finally {
      await session.close();
    }
  };
  const perFile = await timeIt(() => classify([process.execPath, stub, '--load', String(load), '{midi}']));
  const batched = await timeIt(() => classify([process.execPath, stub, '--load', String(load), '{midis}'], batch));
  const same = JSON.stringify(perFile.value) === JSON.stringify(batched.value) && perFile.value.every((o) => o.ok);
  const procs = Math.ceil(files / batch);
  printTable(
    ['protocol', 'processes (model loads)', 'wall time', 'ratio'],
    [
      [`{midi}: a process per file, ${concurrency} at a time (baseline)`, files, `${f(perFile.s, 1)} s`, '1.0x'],
      [
        `{midis}: batch_size ${batch}, ${concurrency} batches at a time`,
        procs,
        `${f(batched.s, 1)} s`,
        `${f(perFile.s / batched.s, 1)}x faster`,
      ],
    ],
  );
  console.log(
    same ? `every file got the same answer both ways (${files} files)` : 'ANSWERS DIFFER between the two protocols',
  );
  readmeRow(
    `${files} files through an external classifier with a ${load} s model load: batch (\`{midis}\`) vs a process per file`,
    'npx tsx bench/classifier-batch.ts',
    `${f(perFile.s / batched.s, 1)}x faster: ${f(batched.s, 1)} s with ${procs} processes vs ${f(perFile.s, 1)} s with ${files}; same answers`,
  );
});
