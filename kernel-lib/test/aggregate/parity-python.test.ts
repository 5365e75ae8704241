import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/aggregate/analyze-experiment.js';
import { formatComparisonTable } from '../../src/aggregate/comparison-table.js';
import type { ResultRow, RunLike } from '../../src/aggregate/rows.js';
import { encodeNpy } from '../../src/formats/npy.js';
import type { Word2Event } from '../../src/formats/types.js';
import { PYTHON, pythonHas, tempDir } from '../helpers.js';
import { expectSameRows } from './row-compare.js';

/**
 * TypeScript analysis vs the Python baseline (bench/python-baseline/reference_analysis.py: the reference notebook's
 * cells with numpy + mido) on synthetic experiment folders: random token arrays, random MIDI with odd note pairings,
 * relative and absolute paths, several songs per run, failed runs, empty and missing folders, broken files.
 */

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const baseline = here('../../../bench/python-baseline/reference_analysis.py');
const sample = here('../fixtures/parity-sample/');

const ready = pythonHas(['numpy', 'mido']);
if (!ready && process.env.CI !== 'true') {
  console.warn(
    `parity-python: skipped — ${PYTHON} with numpy and mido is needed (Debian: apt-get install -y python3-numpy python3-mido)`,
  );
}

/** mulberry32: a small seeded PRNG so every experiment is reproducible from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

// ---- raw MIDI bytes, so note pairings can be as odd as real files get ----
function vlq(n: number): number[] {
  const out = [n & 0x7f];
  for (n >>= 7; n > 0; n >>= 7) out.unshift((n & 0x7f) | 0x80);
  return out;
}
function track(events: Array<{ tick: number; bytes: number[] }>): number[] {
  const sorted = events.map((e, i) => ({ ...e, i })).sort((a, b) => a.tick - b.tick || a.i - b.i);
  const body: number[] = [];
  let last = 0;
  for (const e of sorted) {
    body.push(...vlq(e.tick - last), ...e.bytes);
    last = e.tick;
  }
  body.push(0, 0xff, 0x2f, 0);
  return [
    0x4d,
    0x54,
    0x72,
    0x6b,
    (body.length >>> 24) & 255,
    (body.length >>> 16) & 255,
    (body.length >>> 8) & 255,
    body.length & 255,
    ...body,
  ];
}
function randomMidi(r: Rng): Uint8Array {
  const tracks: number[][] = [];
  const nTracks = r.int(1, 3);
  const tonic = r.int(0, 11);
  const scale = r.pick([
    [0, 2, 4, 5, 7, 9, 11],
    [0, 2, 3, 5, 7, 8, 10, 11],
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  ]);
  for (let t = 0; t < nTracks; t++) {
    const events: Array<{ tick: number; bytes: number[] }> = [];
    const n = r.chance(0.08) ? 0 : r.int(1, 40);
    for (let i = 0; i < n; i++) {
      const ch = r.chance(0.1) ? 9 : r.int(0, 2);
      const pitch = 36 + tonic + r.pick(scale) + 12 * r.int(0, 3);
      const start = r.int(0, 40) * 120;
      const kind = r.next();
      events.push({ tick: start, bytes: [0x90 | ch, pitch, r.int(1, 127)] });
      if (kind < 0.6) events.push({ tick: start + r.int(1, 8) * 60, bytes: [0x80 | ch, pitch, 64] });
      else if (kind < 0.75)
        events.push({ tick: start + r.int(1, 8) * 60, bytes: [0x90 | ch, pitch, 0] }); // note_on velocity 0
      else if (kind < 0.85)
        events.push({ tick: start, bytes: [0x80 | ch, pitch, 0] }); // off on the same tick as its on
      else if (kind < 0.95) {
        // overlapping notes of one pitch closed by a single note-off
        events.push({ tick: start + 60, bytes: [0x90 | ch, pitch, 90] });
        events.push({ tick: start + 240, bytes: [0x80 | ch, pitch, 0] });
      } // else: never closed
      if (r.chance(0.05)) events.push({ tick: r.int(0, 4000), bytes: [0x80 | ch, r.int(0, 127), 0] }); // stray note-off
    }
    tracks.push(track(events));
  }
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, nTracks, 0x01, 0xe0];
  return Uint8Array.from([...header, ...tracks.flat()]);
}

// ---- experiment folders as a contract-following generator writes them ----
const MODES = ['inference-deterministic', 'inference-primed', 'inference-forced'];
const KEYS = ['A:maj', 'C:maj', 'E:min', 'Bb:maj', 'F#:min'];

interface ModelSpec {
  name: string;
  key_aware: boolean;
  vocab: string;
}

function writeExperiment(root: string, seed: number): { configFile: string; expDir: string } {
  const r = rng(seed);
  const models: ModelSpec[] = [
    { name: 'scratch', key_aware: true, vocab: 'word2event_scratch.json' },
    { name: 'pretrained', key_aware: false, vocab: 'word2event_pretrained.json' },
    { name: 'other', key_aware: r.chance(0.5), vocab: 'word2event_scratch.json' },
  ].filter((_, i) => i < 2 || r.chance(0.5));
  mkdirSync(join(root, 'vocab'), { recursive: true });
  const w2e: Record<string, Word2Event> = {};
  for (const m of models) {
    copyFileSync(join(sample, 'vocab', m.vocab), join(root, 'vocab', m.vocab));
    w2e[m.name] = JSON.parse(readFileSync(join(sample, 'vocab', m.vocab), 'utf8'));
  }
  copyFileSync(join(sample, 'classifier.mjs'), join(root, 'classifier.mjs'));
  const tokens = r.pick([
    ['duration', 'velocity'],
    ['duration', 'velocity', 'pitch'],
    ['velocity', 'type', 'tempo'],
    ['duration', 'chord'],
  ]);
  const config = {
    models: models.map((m) => ({
      name: m.name,
      load_ckt: 'c',
      load_ckt_loss: '1',
      load_dict: 'd.pkl',
      word2event_path: `vocab/${m.vocab}`,
      key_aware: m.key_aware,
    })),
    modes: r.chance(0.3) ? ['inference-primed', 'inference-deterministic', 'inference-forced'] : MODES,
    tokens_of_interest: tokens,
    classifier: { command: [process.execPath, 'classifier.mjs', '{midi}'], cwd: '.', timeout_s: 60 },
  };
  const configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const expDir = join(root, 'exp');
  mkdirSync(expDir);
  const runs: RunLike[] = [];
  const nRuns = r.int(6, 16);
  for (let i = 0; i < nRuns; i++) {
    // now and then a run of a model the config does not know (no vocabulary: token files are errors)
    const m = r.chance(0.05) ? { name: 'ghost', key_aware: true, vocab: 'word2event_scratch.json' } : r.pick(models);
    const mode = r.pick(MODES);
    const emotion = r.int(1, 4);
    const key = m.key_aware ? r.pick(KEYS) : null;
    const subset = r.chance(0.7) ? [r.pick(tokens)] : tokens.slice(0, 2);
    const vocab = w2e[m.name] ?? w2e.scratch!;
    const order = Object.keys(vocab);
    const conditions: Record<string, number> = {};
    for (const t of subset) conditions[t] = r.int(1, Object.keys(vocab[t] ?? { 1: 1 }).length - 1);
    const folder = `${m.name}_${mode}_${subset.join('_')}_emo${emotion}${key ? `_key${key.replace(':', '')}` : ''}_${i}`;
    const returncode = r.chance(0.1) ? r.pick([1, -1]) : 0;
    const outDir = r.chance(0.5) ? join(expDir, folder) : folder;
    runs.push({
      model: m.name,
      mode,
      emotion,
      key,
      subset,
      out_dir: outDir,
      returncode,
      conditions: {},
      stdout: '',
      stderr: returncode === -1 ? 'TIMEOUT' : '',
    } as RunLike);
    if (returncode === 0 && r.chance(0.05)) continue; // a successful run whose folder is missing
    const dir = join(expDir, folder);
    mkdirSync(dir);
    const songs = r.chance(0.1) ? 0 : r.int(1, 3);
    for (let s = 0; s < songs; s++) {
      const name = `emo_${emotion}_${seed}_${i}_${s}`;
      const steps = r.chance(0.04) ? 0 : r.int(1, 120);
      const data: number[] = [];
      for (let t = 0; t < steps; t++) {
        for (const col of order) {
          const size = Object.keys(vocab[col]!).length;
          // mostly the target (adherence), else any index, rarely one outside the vocabulary
          const target = conditions[col];
          data.push(target !== undefined && r.chance(0.3) ? target : r.chance(0.02) ? size + 3 : r.int(0, size - 1));
        }
      }
      writeFileSync(
        join(dir, `${name}.npy`),
        encodeNpy([steps, order.length], data, r.chance(0.5) ? 'int64' : 'int32'),
      );
      const midiBytes = r.chance(0.04) ? new TextEncoder().encode('not a midi file') : randomMidi(r);
      writeFileSync(join(dir, `${name}.mid`), midiBytes);
      const abs = r.chance(0.5);
      const vocabOrder = r.chance(0.05) ? order.filter((t) => !(t in conditions)) : order; // a conditioned token without a column
      const forced = mode === 'inference-forced';
      const meta: Record<string, unknown> = {
        paths: {
          npy: abs ? join(dir, `${name}.npy`) : `${name}.npy`,
          midi: abs ? join(dir, `${name}.mid`) : `${name}.mid`,
        },
        inference_mode: mode,
        emotion_tag: emotion,
        key_tag: key,
        vocab_order: vocabOrder,
      };
      if (forced) meta.force_indices = conditions;
      else if (r.chance(0.15)) {
        meta.conditions_indices = {}; // empty: Python's `or` falls through to force_indices
        meta.force_indices = conditions;
      } else meta.conditions_indices = conditions;
      writeFileSync(join(dir, `${name}.meta.json`), JSON.stringify(meta, null, 1));
    }
    if (r.chance(0.1)) writeFileSync(join(dir, `extra_${i}.mid`), randomMidi(r)); // a MIDI file without meta
  }
  writeFileSync(join(expDir, 'all_runs_metadata.json'), JSON.stringify(runs, null, 2));
  return { configFile, expDir };
}

async function typescriptSide(configFile: string, expDir: string) {
  const root = join(configFile, '..');
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const m of config.models)
    word2eventByModel[m.name] = JSON.parse(readFileSync(join(root, m.word2event_path), 'utf8'));
  const runs = JSON.parse(readFileSync(join(expDir, 'all_runs_metadata.json'), 'utf8'));
  const result = await analyzeExperiment({
    expDir,
    runs,
    word2eventByModel,
    classifier: { ...config.classifier, cwd: root },
    concurrency: 8,
  });
  const table = formatComparisonTable(result.rows, {
    models: config.models.map((m: { name: string }) => m.name),
    modes: config.modes,
    tokensOfInterest: config.tokens_of_interest,
    keyAwareModels: config.models
      .filter((m: { key_aware: boolean }) => m.key_aware)
      .map((m: { name: string }) => m.name),
  });
  return { ...result, table };
}

describe.skipIf(!ready && process.env.CI !== 'true')(
  'TypeScript analysis = Python baseline on synthetic experiments',
  () => {
    // EMOTUNE_PARITY_SEEDS=N runs seeds 1..N (default 6) for a longer check.
    const count = Math.max(1, Number(process.env.EMOTUNE_PARITY_SEEDS ?? 6) || 6);
    it.each(Array.from({ length: count }, (_, i) => i + 1))(
      'experiment with seed %i: same rows (1e-9), same table, same printed lines',
      async (seed) => {
        const root = tempDir(`emotune-parity-${seed}-`);
        const { configFile, expDir } = writeExperiment(root, seed);
        const ts = await typescriptSide(configFile, expDir);
        const out = join(root, 'py');
        mkdirSync(out);
        await execa(PYTHON, [
          baseline,
          '--config',
          configFile,
          '--exp',
          expDir,
          '--out',
          join(out, 'rows.json'),
          '--table',
          join(out, 'table.txt'),
          '--lines',
          join(out, 'lines.txt'),
        ]);
        const pyRows: ResultRow[] = JSON.parse(readFileSync(join(out, 'rows.json'), 'utf8'));
        expect(ts.rows.length).toBeGreaterThan(0);
        expectSameRows(ts.rows, pyRows);
        expect(ts.table).toBe(readFileSync(join(out, 'table.txt'), 'utf8'));
        // [ERROR] lines carry each language's own exception text; every other line must be identical.
        const noErrors = (ls: string[]) => ls.filter((l) => !l.startsWith('  [ERROR]'));
        expect(noErrors(ts.lines)).toEqual(
          noErrors(
            readFileSync(join(out, 'lines.txt'), 'utf8')
              .split('\n')
              .filter((l) => l !== ''),
          ),
        );
      },
      120_000,
    );
  },
);
