import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { ClassifierConfig } from '../config/types.js';
import { pythonRepr } from '../formats/python-style.js';
import { checkMetaInside, readMeta } from '../formats/meta.js';
import { readNpy } from '../formats/npy.js';
import type { GenerationMeta, Word2Event } from '../formats/types.js';
import {
  computeEmotionKeyAdherence,
  listRunFolder,
  type EmotionKeyOptions,
  type RunFolderListing,
} from '../metrics/edge/run-emotion-key.js';
import type { EmotionKeyResult } from '../metrics/emotion-key-adherence.js';
import { computeTokenAdherence } from '../metrics/token-adherence.js';
import type { MidiScore } from '../formats/types.js';
import { newFileFigures, noteFigures, READS_IN_FLIGHT, type FileFigures } from './file-figures.js';
import { classifierRunsInProcess } from '../run/in-process/commands.js';
import { loadClassifier } from '../metrics/edge/classifier-file.js';
import type { EmotionOutcome } from '../metrics/emotion-command.js';
import { builtinOutcome } from './builtin-outcome.js';
import { readMidiWithFigures, type MidiPrefetch } from './midi-prefetch.js';
import { readMidi } from '../formats/midi-read.js';
import { formatFixed } from './py-format.js';
import {
  aggregateRows,
  type EmotionKeyReport,
  type ResultRow,
  type RunLike,
  type TokenFileReport,
  type TokenReport,
} from './rows.js';
import { isInsideReal } from '../path-inside.js';
import { comparePythonStrings } from '../vocab/python-sort.js';
import { errorMessage } from '../errors.js';

/**
 * The reference notebook's ADHERENCE ANALYSIS cell (its two loops over the run records) and the aggregation to rows.
 *
 * As the reference notebook: runs with returncode != 0 are skipped; forced runs get no token adherence (adherent by
 * construction) but do get emotion/key; conditions are `conditions_indices or force_indices or {}` with
 * Python truthiness (an empty map falls through). Beyond the reference notebook: `out_dir` may be relative (to
 * `expDir`), and a bad file or folder is reported (file + reason) instead of stopping the analysis, so one broken run
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
  classifier?: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s' | 'isolate' | 'batch_size'>;
  /** Classifier processes (or worker threads, at most one per core) at once (default 4). */
  concurrency?: number;
  /** Called with each line the reference notebook would print, as it happens. */
  onLine?: (line: string) => void;
  /** For tests: replace the classifier. */
  classify?: EmotionKeyOptions['classify'];
  /** MIDI files already read while the runs were generating (`emotune evaluate`). */
  prefetch?: MidiPrefetch;
  /**
   * Measure each file for the extended results while it is parsed (default true). False does the reference
   * notebook's cells alone (its rows and lines, the same), and `figures` stays empty: the extended results then
   * read and measure the files themselves.
   */
  keepFigures?: boolean;
}

export interface AnalysisResult<R extends RunLike = RunLike> {
  tokenReports: TokenReport<R>[];
  emotionKeyReports: EmotionKeyReport<R>[];
  rows: ResultRow[];
  /** The reference notebook's printed lines (`Analyzing: ...`, `  Emotion adherence: ...`, `  [ERROR] ...`). */
  lines: string[];
  problems: AnalysisProblem[];
  /** Per-file figures for the extended results (collectExtendedInputs), from the files read here. */
  figures: FileFigures;
}

/** Python truthiness of a JSON value (`{}`, `[]`, `''`, `0`, null are false). */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** The conditions a run asked for (run records carry them; plain RunLike values may not). */
function conditionsOf(run: RunLike): Record<string, unknown> {
  const c = (run as { conditions?: unknown }).conditions;
  return c !== null && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
}

/** `os.path.basename`: the part after the last slash (empty for a trailing slash). */
function pyBasename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

/** A figure the extended results can also compute later: if it fails here, it is computed (and reported) there. */
function keepFigure(compute: () => void): void {
  try {
    compute();
  } catch {
    /* collectExtendedInputs reads the file again and names the problem */
  }
}

/**
 * A run's output folder: `out_dir` as recorded, taken from the experiment folder when relative.
 * @example
 * ```ts
 * const dir = et.resolveOutDir(config.paths.exp, run.records[0]!.out_dir);
 * const midis = await et.listMidiFiles(dir);
 * ```
 */
export function resolveOutDir(expDir: string, outDir: string): string {
  return isAbsolute(outDir) ? outDir : join(resolve(expDir), outDir);
}

/**
 * Succeeded runs whose folder is gone (moved or deleted after the run): the reference notebook skips them without a
 * word. The token stage reports the folders it could not list; a forced run has no token stage, so it is said here.
 */
function missingFolderProblems<R extends RunLike>(
  opts: { runs: readonly R[]; expDir: string },
  outside: ReadonlySet<R>,
  problems: Array<{ file: string; reason: string; stage: string; run: R }>,
): void {
  const listed = new Set(problems.map((p) => p.file));
  for (const run of opts.runs) {
    if (run.returncode !== 0 || outside.has(run)) continue;
    const outDir = resolveOutDir(opts.expDir, run.out_dir);
    if (listed.has(outDir) || existsSync(outDir)) continue;
    problems.push({
      file: outDir,
      reason:
        'the run folder is missing (the run is recorded as succeeded: was the folder moved or deleted?), so the run has no emotion or key figure; restore the folder, or run `emotune run` (or `evaluate`) again, which reruns a run whose outputs are gone',
      stage: 'emotion',
      run,
    });
  }
}

/**
 * The reference notebook's analysis of finished runs: token, emotion and key adherence per run, and the result rows.
 * @example
 * ```ts
 * const analysis = await et.analyzeExperiment({ expDir: config.paths.exp, runs: run.records, word2eventByModel: vocabs, classifier: config.classifier });
 * console.log(analysis.lines.join("\n"));
 * et.showTable(analysis.rows, { title: "Result rows" });
 * ```
 */
export async function analyzeExperiment<R extends RunLike>(opts: AnalyzeOptions<R>): Promise<AnalysisResult<R>> {
  const lines: string[] = [];
  const problems: AnalysisProblem[] = [];
  const say = (line: string) => {
    lines.push(line);
    opts.onLine?.(line);
  };
  const w2e = (model: string): Word2Event | undefined =>
    opts.word2eventByModel instanceof Map
      ? opts.word2eventByModel.get(model)
      : Object.hasOwn(opts.word2eventByModel, model)
        ? opts.word2eventByModel[model]
        : undefined;

  // Per-file figures of the extended results, computed from the files this analysis parses anyway.
  const figures = newFileFigures();
  const keep = opts.keepFigures ?? true;
  // Files read at once; results are reported in run order whatever finishes first.
  const reads = pLimit(READS_IN_FLIGHT);
  // Each meta file is read once: for its tokens and for the MIDI file it names (listing the folder).
  const metas = new Map<string, Promise<GenerationMeta>>();
  const metaOnce = (path: string): Promise<GenerationMeta> => {
    let p = metas.get(path);
    if (!p) metas.set(path, (p = readMeta(path)));
    return p;
  };
  // What the listing found wrong, per folder: unreadable meta files (the token analysis reports them, except in
  // forced runs) and MIDI files no meta file names (they count for emotion and key, but have no token figure).
  const listings = new Map<string, RunFolderListing>();
  const listOnce = async (outDir: string): Promise<string[]> => {
    const listing = await listRunFolder(outDir, metaOnce);
    listings.set(outDir, listing);
    const files = listing.files;
    figures.folders?.set(outDir, files);
    return files;
  };

  // Token adherence (not for forced runs).
  type TokenFile =
    | { ok: true; report: TokenFileReport; notes: string[] }
    | { ok: false; mf: string; metaPath: string; reason: string };
  const tokenFile = async (run: R, outDir: string, mf: string): Promise<TokenFile> => {
    const metaPath = join(outDir, mf);
    try {
      const meta = await metaOnce(metaPath);
      checkMetaInside(meta, outDir);
      const tokens = await readNpy(meta.paths.npy);
      const conditions = truthy(meta.conditions_indices)
        ? meta.conditions_indices!
        : truthy(meta.force_indices)
          ? meta.force_indices!
          : {};
      const word2event = w2e(run.model);
      // As the reference notebook, a file without conditions still counts (with no token figure), but never silently.
      const notes: string[] = [];
      const asked = Object.keys(conditionsOf(run));
      if (asked.length > 0 && Object.keys(conditions).length === 0) {
        notes.push(
          `no conditions_indices in the meta file, though the run was conditioned on ${asked.join(', ')}: no token adherence for it (the generator must write "conditions_indices": {token type: index}, see docs/generator-contract.md)`,
        );
      } else {
        const missing = asked.filter((t) => !Object.hasOwn(conditions, t));
        if (missing.length > 0)
          notes.push(
            `conditions_indices lacks ${missing.join(', ')}, though the run was conditioned on it: no adherence figure for it`,
          );
      }
      const adherence = computeTokenAdherence(tokens, conditions, meta.vocab_order ?? [], word2event, meta.paths.npy);
      if (word2event && keep)
        keepFigure(() => figures.note.set(metaPath, noteFigures(meta, tokens, word2event, metaPath)));
      return { ok: true, report: { meta: metaPath, adherence, num_tokens: tokens.shape[0] ?? 0 }, notes };
    } catch (e) {
      return { ok: false, mf, metaPath, reason: errorMessage(e) };
    }
  };
  // A run folder outside the experiment folder: all_runs_metadata.json names another experiment's folders
  // (this one was copied or moved); reading them would give that experiment's figures under this one's name.
  const expRoot = resolve(opts.expDir);
  const outside = new Set(
    opts.runs.filter((run) => run.returncode === 0 && !isInsideReal(expRoot, resolveOutDir(opts.expDir, run.out_dir))),
  );
  for (const run of outside) {
    problems.push({
      file: resolveOutDir(opts.expDir, run.out_dir),
      reason: `the run folder lies outside the experiment folder ${expRoot}, so it is not analysed: all_runs_metadata.json names the folders of the experiment this one was copied or moved from (analyse that one, or write out_dir relative to the experiment folder, and the meta files' paths relative to their run folder)`,
      stage: run.mode === 'inference-forced' ? 'emotion' : 'token',
      run,
    });
    say(`  [ERROR] ${pyBasename(run.out_dir)}: run folder outside the experiment folder`);
  }
  const tokenWork = opts.runs
    .filter((run) => run.returncode === 0 && run.mode !== 'inference-forced' && !outside.has(run))
    .map((run) => {
      const outDir = resolveOutDir(opts.expDir, run.out_dir);
      const listing = reads(async () => readdirSync(outDir)).then(
        (names) => ({
          ok: true as const,
          metas: names.filter((n) => n.endsWith('.meta.json')).sort(comparePythonStrings),
        }),
        (e: unknown) => ({ ok: false as const, reason: errorMessage(e) }),
      );
      const files = listing.then((l) =>
        l.ok ? Promise.all(l.metas.map((mf) => reads(() => tokenFile(run, outDir, mf)))) : [],
      );
      return { run, outDir, listing, files };
    });
  const tokenReports: TokenReport<R>[] = [];
  for (const { run, outDir, listing, files: filesDone } of tokenWork) {
    const l = await listing;
    if (!l.ok) {
      // The reference notebook would stop here (os.listdir raises); we report the folder and go on.
      problems.push({ file: outDir, reason: `cannot list the run folder: ${l.reason}`, stage: 'token', run });
      say(`  [ERROR] ${pyBasename(outDir)}: cannot list the run folder`);
      continue;
    }
    const files: TokenFileReport[] = [];
    for (const f of await filesDone) {
      if (f.ok) {
        files.push(f.report);
        for (const reason of f.notes) problems.push({ file: f.report.meta, reason, stage: 'token', run });
      } else {
        problems.push({ file: f.metaPath, reason: f.reason, stage: 'token', run });
        say(`  [ERROR] ${f.mf}: ${f.reason}`);
      }
    }
    if (files.length) tokenReports.push({ run, files });
  }

  // Emotion and key adherence (every successful run, forced ones included). Runs are classified at once
  // under one shared limit; their lines and reports still come out in run order.
  const emotionKeyReports: EmotionKeyReport<R>[] = [];
  // Worker threads, batch processes or a process per file, as the classifier config says; closed below.
  // The built-in classifier in this process reads nothing itself: it classifies the score read here, from the
  // features the figures computed (the session's worker threads would read and measure every file again).
  const builtinHere = !opts.classify && !!opts.classifier && classifierRunsInProcess(opts.classifier);
  // Loaded only for a classifier that runs as processes or threads (worker pool, process runner).
  const session =
    !opts.classify && opts.classifier && !builtinHere
      ? (await import('../metrics/edge/classifier-session.js')).openClassifierSession(
          opts.classifier,
          opts.concurrency ?? 4,
        )
      : undefined;
  const classify = opts.classify ?? session?.classify;
  const limit = pLimit(Math.max(1, session?.inFlight ?? opts.concurrency ?? 4));
  // Folders in flight at once (their MIDI files are read while classifiers run); a separate limiter, so the
  // classifier limit inside a folder's work can never wait on a folder slot. Enough to fill the batches.
  const folders = pLimit(Math.max(16, session?.inFlight ?? 0));
  await opts.prefetch?.settled();
  const readMidiKeepingFigures = async (path: string): Promise<MidiScore> => {
    // One read of the bytes: the score for key and emotion, and muspy's own reading for the quality figures.
    const prefetched = opts.prefetch?.take(path);
    if (!prefetched && !keep) return readMidi(path);
    const read = await (prefetched ?? readMidiWithFigures(path));
    if (read.figures) figures.midi.set(path, read.figures);
    return read.score;
  };
  const pending = opts.runs.map((run) => {
    if (run.returncode !== 0 || outside.has(run)) return undefined;
    const outDir = resolveOutDir(opts.expDir, run.out_dir);
    if (!existsSync(outDir)) return undefined;
    const work: Promise<EmotionKeyResult> = folders(async () => {
      if (!statSync(outDir).isDirectory()) throw new Error(`not a folder: ${outDir}`);
      // Each file of the folder is read once, for the classifier and the key alike.
      const scores = new Map<string, Promise<MidiScore>>();
      const readOnce = (path: string): Promise<MidiScore> => {
        let p = scores.get(path);
        if (!p) scores.set(path, (p = readMidiKeepingFigures(path)));
        return p;
      };
      const classifyHere = (path: string): Promise<EmotionOutcome> =>
        readOnce(path).then(
          (score) => builtinOutcome(path, { score }, loadClassifier(), figures.midi.get(path)?.features),
          (error: unknown) => builtinOutcome(path, { error }, loadClassifier()),
        );
      return computeEmotionKeyAdherence(outDir, run.emotion, run.key, {
        limit,
        classify: builtinHere ? classifyHere : classify,
        readMidi: builtinHere ? readOnce : readMidiKeepingFigures,
        listMidiFiles: listOnce,
      });
    });
    work.catch(() => undefined); // handled below, in run order
    return { run, outDir, work };
  });
  missingFolderProblems(opts, outside, problems);
  try {
    for (const item of pending) {
      if (!item) continue;
      const { run, outDir } = item;
      const key = run.key;
      say(`Analyzing: ${pyBasename(outDir)}`);
      try {
        const results = await item.work;
        emotionKeyReports.push({
          run,
          emotion_adherence: results.emotion,
          key_adherence: key ? (results.key ?? null) : null,
          num_files: results.num_files,
        });
        if (results.num_files === 0 && (opts.classifier || opts.classify || key)) {
          problems.push({
            file: outDir,
            reason:
              'no MIDI file: no .meta.json names one in paths.midi and there is no *.mid or *.midi file, so the run has no emotion or key figure',
            stage: 'emotion',
            run,
          });
        }
        if (run.mode === 'inference-forced')
          for (const m of listings.get(outDir)?.unreadableMetas ?? [])
            problems.push({
              file: m.file,
              reason: `${m.reason} (a forced run has no token analysis; the file this meta names in paths.midi is analysed for emotion and key only if it is a *.mid file in the folder)`,
              stage: opts.classifier || opts.classify || !key ? 'emotion' : 'key',
              run,
            });
        if (run.mode !== 'inference-forced')
          for (const file of listings.get(outDir)?.unnamed ?? [])
            problems.push({
              file,
              reason:
                'no meta file names this MIDI file in paths.midi, so it has no token figure, though it counts for emotion and key (as the reference notebook counts every *.mid file of the folder): remove a stray file, or write its .meta.json',
              stage: 'token',
              run,
            });
        for (const f of results.emotion.failures)
          problems.push({ file: f.file, reason: f.reason, stage: 'emotion', run });
        for (const f of results.key?.failures ?? [])
          problems.push({ file: f.file, reason: f.reason, stage: 'key', run });
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
        problems.push({ file: outDir, reason: errorMessage(e), stage: 'emotion', run });
        say(`  [ERROR] ${errorMessage(e)}`);
      }
    }
  } finally {
    await session?.close();
  }

  const rows = aggregateRows(tokenReports, emotionKeyReports);
  return { tokenReports, emotionKeyReports, rows, lines, problems, figures };
}
