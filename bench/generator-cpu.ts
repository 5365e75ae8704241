// CPU time of the main job's generation in one thread: the 192 runs of kernel-lib/embedded/config.json (960
// songs), each run as a worker thread runs it (runEmbeddedGenerator with the CLI's argument parsing, files
// written), then the same 960 songs again through generateSong alone (the requests rebuilt from each song's
// meta.json), and a hash of everything written, so a faster generator can be checked to write the same bytes.
//
//   npx tsx bench/generator-cpu.ts [--repeat 1]
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateCommand } from '../kernel-lib/src/cli/commands/generate.js';
import { loadConfig, withExperimentFolder } from '../kernel-lib/src/config/load.js';
import type { GeneratorArgs } from '../kernel-lib/src/generate/embedded/generator-args.js';
import { keepLoads, runEmbeddedGenerator } from '../kernel-lib/src/generate/embedded/generate-songs.js';
import { loadModel } from '../kernel-lib/src/generate/embedded/model-file.js';
import { type SongRequest, generateSong } from '../kernel-lib/src/generate/embedded/song.js';
import { makeVocab } from '../kernel-lib/src/generate/embedded/vocabulary.js';
import { embeddedDir } from '../kernel-lib/src/package-paths.js';
import { buildPlan } from '../kernel-lib/src/plan/build-plan.js';
import { prepareRun, stableSuffix } from '../kernel-lib/src/run/prepare.js';
import { readDictionaryPkl } from '../kernel-lib/src/vocab/pickle.js';
import { loadModelVocabularies } from '../kernel-lib/src/vocab/model-vocabularies.js';
import { arg, f, machineLine, median, readmeRow, withTempDir } from './lib/measure.js';

const repeat = arg('repeat', 1);
const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

/** Every file under `dir`, relative path -> contents, sorted by path. */
async function filesUnder(dir: string): Promise<Array<[string, Buffer]>> {
  const out: Array<[string, Buffer]> = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    out.push([full.slice(dir.length + 1), await readFile(full)]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

console.log(machineLine());
console.log(
  `load average before: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

const runsCpu: number[] = [];
const songsCpu: number[] = [];
let songs = 0;
let runs = 0;
let filesHash = '';
let rowsHash = '';
for (let r = 0; r < repeat; r++) {
  await withTempDir('generator-cpu', async (dir) => {
    const config = withExperimentFolder(await loadConfig(join(embeddedDir, 'config.json')), dir);
    const plan = buildPlan(config, await loadModelVocabularies(config.models));
    const memo = keepLoads();
    const prepared = plan.runs.map((run) => prepareRun(config, run, stableSuffix(run)));
    // Models loaded before timing, as a worker has them after its first run.
    const first = prepared[0]!;
    await runEmbeddedGenerator(
      generateCommand().parse(first.args, { from: 'user' }).opts<GeneratorArgs>(),
      first.cwd,
      memo,
    );
    const c0 = process.cpuUsage();
    for (const run of prepared) {
      const opts = generateCommand().parse(run.args, { from: 'user' }).opts<GeneratorArgs>();
      await runEmbeddedGenerator(opts, run.cwd, memo);
    }
    runsCpu.push(cpuSeconds(process.cpuUsage(c0)));
    runs = prepared.length;

    const files = await filesUnder(dir);
    const all = createHash('sha256');
    for (const [name, bytes] of files) if (!name.endsWith('.meta.json')) all.update(name).update(bytes);
    filesHash = all.digest('hex').slice(0, 16);

    // The same songs from their requests, generateSong alone.
    const requests: Array<[string, string, SongRequest]> = [];
    for (const [name, bytes] of files) {
      if (!name.endsWith('.meta.json')) continue;
      const m = JSON.parse(bytes.toString('utf8')) as Record<string, unknown> & {
        generator: { model_file: string; dictionary: string; max_steps: number };
      };
      const forced = m.inference_mode === 'inference-forced';
      requests.push([
        m.generator.model_file,
        m.generator.dictionary,
        {
          mode: m.inference_mode as SongRequest['mode'],
          emotion: m.emotion_tag as number,
          key: (m.key_tag as string | null) ?? undefined,
          conditions: forced ? {} : (m.conditions_indices as SongRequest['conditions']),
          force: forced ? (m.force_indices as SongRequest['force']) : {},
          seed: m.seed as number,
          maxSteps: m.generator.max_steps,
        },
      ]);
    }
    const models = new Map<string, Awaited<ReturnType<typeof loadModel>>>();
    for (const [modelFile, dict] of requests) {
      const k = `${modelFile}|${dict}`;
      if (!models.has(k))
        models.set(k, await loadModel(modelFile, makeVocab((await readDictionaryPkl(dict)).word2event)));
    }
    const rows = createHash('sha256');
    const c1 = process.cpuUsage();
    for (const [modelFile, dict, req] of requests) {
      const song = generateSong(models.get(`${modelFile}|${dict}`)!, req);
      rows.update(JSON.stringify(song.rows));
    }
    songsCpu.push(cpuSeconds(process.cpuUsage(c1)));
    songs = requests.length;
    rowsHash = rows.digest('hex').slice(0, 16);
  });
}

const runCpu = median(runsCpu);
const songCpu = median(songsCpu);
console.log(
  `main job's generation, one thread: ${runs} runs (files written) ${f(runCpu)} s CPU, ${f((1000 * runCpu) / songs, 2)} ms a song`,
);
console.log(
  `generateSong alone: ${songs} songs ${f(songCpu)} s CPU, ${f((1000 * songCpu) / songs, 2)} ms a song, ${f(songs / songCpu, 0)} songs per CPU second (${f((100 * songCpu) / runCpu, 0)} % of the runs' CPU)`,
);
console.log(`files written (all but meta.json) sha256 ${filesHash}; song rows sha256 ${rowsHash}`);
console.log(
  `load average after: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
readmeRow(
  "Main job's generation, one thread (192 runs, 960 songs)",
  'npx tsx bench/generator-cpu.ts',
  `${f(runCpu, 1)} s CPU (${f((1000 * runCpu) / songs, 1)} ms a song), of which generateSong ${f(songCpu, 1)} s`,
);
