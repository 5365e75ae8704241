// The main job (`npm run evaluate -- --fresh`: 192 runs of the embedded generator, analysis with the built-in
// classifier, table, report) as shipped, where this package's own generator and classifier run in worker
// threads, against the same config with `"isolate": true` (a Node process per run and per MIDI file, the way
// it ran before), measured in the same run. Both must write the same rows.
//
//   npx tsx bench/main-job.ts [--repeat 1]
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliMainPath, embeddedDir } from '../kernel-lib/src/package-paths.js';
import { arg, f, machineLine, median, printTable, readmeRow, withTempDir } from './lib/measure.js';
import { loadavg } from 'node:os';

const repeat = arg('repeat', 1);
const TIME = '/usr/bin/time';

interface Timing {
  wall: number;
  cpu?: number;
}

/** `emotune evaluate --fresh` in a fresh process; wall time, and CPU time (user + system, children included) where GNU time exists. */
function evaluate(configFile: string, exp: string): Promise<Timing> {
  const argv = [process.execPath, cliMainPath, 'evaluate', '--config', configFile, '--exp', exp, '--fresh'];
  const full = existsSync(TIME) ? [TIME, '-f', 'EMOTUNE-TIME %U %S', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) return reject(new Error(`evaluate exited ${code}: ${err.slice(-1500)}`));
      const m = /EMOTUNE-TIME (\S+) (\S+)/.exec(err);
      resolve({ wall, cpu: m ? Number(m[1]) + Number(m[2]) : undefined });
    });
  });
}

console.log(
  'the main job (192 runs, built-in classifier): worker threads vs a process per run and per file (isolate: true)',
);
console.log(machineLine());
console.log(
  `load average before: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

await withTempDir('main-job', async (dir) => {
  const raw = JSON.parse(await readFile(join(embeddedDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  // Paths relative to the embedded folder, as the shipped config has them.
  raw.paths = Object.fromEntries(
    Object.entries(raw.paths as Record<string, string>).map(([k, v]) => [k, join(embeddedDir, v)]),
  );
  raw.models = (raw.models as Array<Record<string, string>>).map((m) => ({
    ...m,
    word2event_path: join(embeddedDir, m.word2event_path!),
  }));
  const threads = join(dir, 'threads.json');
  const isolated = join(dir, 'isolated.json');
  await writeFile(threads, JSON.stringify(raw));
  await writeFile(
    isolated,
    JSON.stringify({
      ...raw,
      generator: { ...(raw.generator as object), isolate: true },
      classifier: { ...(raw.classifier as object), isolate: true },
    }),
  );
  const t: Timing[] = [];
  const p: Timing[] = [];
  for (let i = 0; i < repeat; i++) {
    t.push(await evaluate(threads, join(dir, 'exp-threads')));
    p.push(await evaluate(isolated, join(dir, 'exp-isolated')));
  }
  const rows = async (e: string) => readFile(join(dir, e, 'evaluation_results_comprehensive.json'), 'utf8');
  const same = (await rows('exp-threads')) === (await rows('exp-isolated'));
  const mid = (xs: Timing[], k: keyof Timing) =>
    xs.every((x) => x[k] !== undefined) ? median(xs.map((x) => x[k]!)) : undefined;
  const [tw, pw, tc, pc] = [mid(t, 'wall')!, mid(p, 'wall')!, mid(t, 'cpu'), mid(p, 'cpu')];
  printTable(
    ['how the embedded commands run', 'wall time', 'CPU time (user+sys)', 'ratio (wall)'],
    [
      [
        'a Node process per run and per MIDI file (isolate: true; baseline)',
        `${f(pw, 1)} s`,
        pc === undefined ? 'n/a' : `${f(pc, 1)} s`,
        '1.0x',
      ],
      [
        'worker threads, one per core (default)',
        `${f(tw, 1)} s`,
        tc === undefined ? 'n/a' : `${f(tc, 1)} s`,
        `${f(pw / tw, 1)}x faster`,
      ],
    ],
  );
  console.log(
    same ? 'evaluation_results_comprehensive.json identical both ways' : 'RESULTS DIFFER between the two ways',
  );
  console.log(
    `medians of ${repeat}; load average after: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  readmeRow(
    'the main job, `npm run evaluate -- --fresh` (192 runs + analysis): worker threads vs a process per run and file',
    'npx tsx bench/main-job.ts',
    `${f(tw, 1)} s vs ${f(pw, 1)} s (${f(pw / tw, 1)}x)${tc !== undefined && pc !== undefined ? `; CPU ${f(tc, 1)} s vs ${f(pc, 1)} s` : ''}; same results`,
  );
});
