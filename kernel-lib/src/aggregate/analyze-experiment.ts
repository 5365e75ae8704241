import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { ClassifierConfig } from '../config/types.js';
import { pythonRepr } from '../formats/python-style.js';
import { readMeta } from '../formats/meta.js';
import { readNpy } from '../formats/npy.js';
import type { Word2Event } from '../formats/types.js';
import { computeEmotionKeyAdherence, type EmotionKeyOptions, type EmotionKeyResult } from '../metrics/run-emotion-key.js';
import { computeTokenAdherence } from '../metrics/token-adherence.js';
import { formatFixed } from './py-format.js';
import { aggregateRows, type EmotionKeyReport, type ResultRow, type RunLike, type TokenFileReport, type TokenReport } from './rows.js';
import { comparePythonStrings } from '../vocab/python-sort.js';

/**
 * The seed's ADHERENCE ANALYSIS cell (its two loops over the run records) and the aggregation to rows.
 *
 * As the seed: runs with returncode != 0 are skipped; forced runs get no token adherence (adherent by
 * construction) but do get emotion/key; conditions are `conditions_indices or force_indices or {}` with
 * Python truthiness (an empty map falls through). Beyond the seed: `out_dir` may be relative (to `expDir`),
 * and a bad file or folder is reported (file + reason) instead of stopping the analysis, so one broken run
 * never loses the other runs' rows.
 */

export interface AnalysisProblem {
  /** The file or folder at fault. */
  file: string;
  reason: string;
  /** Which part of the analysis met it. */
  stage: 'token' | 'emotion' | 'key';
  run: RunLike;
}

export interface AnalyzeOptions<R extends RunLike = RunLike> {
  expDir: string;
  runs: readonly R[];
  /** word2event per model name (a model without one still gets ratios, but no labels or distances). */
  word2eventByModel: Record<string, Word2Event> | Map<string, Word2Event>;
  classifier?: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s'>;
  /** Classifier processes at once (default 4). */
  concurrency?: number;
  /** Called with each line the seed would print, as it happens. */
  onLine?: (line: string) => void;
  /** For tests: replace the classifier. */
  classify?: EmotionKeyOptions['classify'];
}

export interface AnalysisResult<R extends RunLike = RunLike> {
  tokenReports: TokenReport<R>[];
  emotionKeyReports: EmotionKeyReport<R>[];
  rows: ResultRow[];
  /** The seed's printed lines (`Analyzing: ...`, `  Emotion adherence: ...`, `  [ERROR] ...`). */
  lines: string[];
  problems: AnalysisProblem[];
}

/** Python truthiness of a JSON value (`{}`, `[]`, `''`, `0`, null are false). */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** `os.path.basename`: the part after the last slash (empty for a trailing slash). */
function pyBasename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}


function message(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

export function resolveOutDir(expDir: string, outDir: string): string {
  return isAbsolute(outDir) ? outDir : join(resolve(expDir), outDir);
}

export async function analyzeExperiment<R extends RunLike>(opts: AnalyzeOptions<R>): Promise<AnalysisResult<R>> {
  const lines: string[] = [];
  const problems: AnalysisProblem[] = [];
  const say = (line: string) => {
    lines.push(line);
    opts.onLine?.(line);
  };
  const w2e = (model: string): Word2Event | undefined =>
    opts.word2eventByModel instanceof Map ? opts.word2eventByModel.get(model) : Object.hasOwn(opts.word2eventByModel, model) ? opts.word2eventByModel[model] : undefined;

  // Token adherence (not for forced runs).
  const tokenReports: TokenReport<R>[] = [];
  for (const run of opts.runs) {
    if (run.returncode !== 0) continue;
    if (run.mode === 'inference-forced') continue;
    const outDir = resolveOutDir(opts.expDir, run.out_dir);
    let names: string[];
    try {
      names = await readdir(outDir);
    } catch (e) {
      // The seed would stop here (os.listdir raises); we report the folder and go on.
      problems.push({ file: outDir, reason: `cannot list the run folder: ${message(e)}`, stage: 'token', run });
      say(`  [ERROR] ${pyBasename(outDir)}: cannot list the run folder`);
      continue;
    }
    const metas = names.filter((n) => n.endsWith('.meta.json')).sort(comparePythonStrings);
    if (metas.length === 0) continue;
    const word2event = w2e(run.model);
    const files: TokenFileReport[] = [];
    for (const mf of metas) {
      const metaPath = join(outDir, mf);
      try {
        const meta = await readMeta(metaPath);
        const tokens = await readNpy(meta.paths.npy);
        const conditions = truthy(meta.conditions_indices) ? meta.conditions_indices! : truthy(meta.force_indices) ? meta.force_indices! : {};
        const adherence = computeTokenAdherence(tokens, conditions, meta.vocab_order ?? [], word2event, meta.paths.npy);
        files.push({ meta: metaPath, adherence, num_tokens: tokens.shape[0] ?? 0 });
      } catch (e) {
        problems.push({ file: metaPath, reason: message(e), stage: 'token', run });
        say(`  [ERROR] ${mf}: ${message(e)}`);
      }
    }
    if (files.length) tokenReports.push({ run, files });
  }

  // Emotion and key adherence (every successful run, forced ones included). Runs are classified at once
  // under one shared limit; their lines and reports still come out in run order.
  const emotionKeyReports: EmotionKeyReport<R>[] = [];
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  // Folders in flight at once (their MIDI files are read while classifiers run); a separate limiter, so the
  // classifier limit inside a folder's work can never wait on a folder slot.
  const folders = pLimit(16);
  const pending = opts.runs.map((run) => {
    if (run.returncode !== 0) return undefined;
    const outDir = resolveOutDir(opts.expDir, run.out_dir);
    if (!existsSync(outDir)) return undefined;
    const work: Promise<EmotionKeyResult> = folders(async () => {
      if (!statSync(outDir).isDirectory()) throw new Error(`not a folder: ${outDir}`);
      return computeEmotionKeyAdherence(outDir, run.emotion, run.key, { classifier: opts.classifier, limit, classify: opts.classify });
    });
    work.catch(() => undefined); // handled below, in run order
    return { run, outDir, work };
  });
  for (const item of pending) {
    if (!item) continue;
    const { run, outDir } = item;
    const key = run.key;
    say(`Analyzing: ${pyBasename(outDir)}`);
    try {
      const results = await item.work;
      emotionKeyReports.push({ run, emotion_adherence: results.emotion, key_adherence: key ? results.key ?? null : null, num_files: results.num_files });
      for (const f of results.emotion.failures) problems.push({ file: f.file, reason: f.reason, stage: 'emotion', run });
      for (const f of results.key?.failures ?? []) problems.push({ file: f.file, reason: f.reason, stage: 'key', run });
      const emo = results.emotion;
      if (emo.adherence_ratio !== undefined) {
        say(`  Emotion adherence: ${formatFixed(emo.adherence_ratio * 100, 1)}% (${emo.matches}/${emo.total})`);
      }
      const kr = results.key;
      if (key && kr && kr.adherence_ratio !== undefined) {
        say(`  Key adherence: ${formatFixed(kr.adherence_ratio * 100, 1)}% (${kr.matches}/${kr.total})`);
        say(`  Key distribution: ${pythonRepr(kr.key_distribution)}`);
      }
    } catch (e) {
      problems.push({ file: outDir, reason: message(e), stage: 'emotion', run });
      say(`  [ERROR] ${message(e)}`);
    }
  }

  const rows = aggregateRows(tokenReports, emotionKeyReports);
  return { tokenReports, emotionKeyReports, rows, lines, problems };
}
