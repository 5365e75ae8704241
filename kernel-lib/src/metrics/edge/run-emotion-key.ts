import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ClassifierConfig } from '../../config/types.js';
import { EmotuneError, errorMessage } from '../../errors.js';
import { readMidi } from '../../formats/midi-read.js';
import { checkMetaInside, readMeta } from '../../formats/meta.js';
import type { GenerationMeta, MidiScore } from '../../formats/types.js';
import type { EmotionOutcome } from '../emotion-command.js';
import {
  emotionAdherence,
  keyAdherence,
  keyFileResult,
  type EmotionKeyResult,
  type KeyAdherence,
  type KeyFileResult,
} from '../emotion-key-adherence.js';
import { comparePythonStrings } from '../../vocab/python-sort.js';
import { classifyMidi } from './classifier-process.js';

// Emotion and key adherence of a run folder on disk: lists its MIDI files, reads them and runs the classifier;
// the figures are the pure tallies of ../emotion-key-adherence.ts.

export interface EmotionKeyOptions {
  /** Without a classifier, no emotion figure is computed. */
  classifier?: Pick<ClassifierConfig, 'command' | 'cwd' | 'timeout_s'>;
  /** Classifier processes at once (default 4). Results keep file order whatever finishes first. */
  concurrency?: number;
  /** A limiter shared with other folders (analyzeExperiment classifies several runs at once); wins over `concurrency`. */
  limit?: LimitFunction;
  /** For tests: replace the MIDI reader or the classifier. */
  readMidi?: (path: string) => Promise<MidiScore>;
  classify?: (midiPath: string) => Promise<EmotionOutcome>;
  /** Lists the folder's MIDI files (default listMidiFiles); an analysis passes one that reads each meta file once. */
  listMidiFiles?: (outDir: string) => Promise<string[]>;
}

/** A run folder as the analysis lists it (see `listMidiFiles`). */
export interface RunFolderListing {
  /** The MIDI files: `listMidiFiles`. */
  files: string[];
  /** Those that no readable meta file names and whose own NAME.meta.json does not exist (stray files). */
  unnamed: string[];
  /** Meta files that could not be read, or that name files outside the folder, with the reason. */
  unreadableMetas: Array<{ file: string; reason: string }>;
}

/**
 * The MIDI files of a run folder: every `*.mid` file in it (the reference notebook's glob, so its figures stay the
 * same) and every file its `.meta.json` files name in `paths.midi`, whatever the extension (`.mid` or `.midi`); in a
 * folder without readable meta files, `*.midi` files too. Sorted by code point, each once. A named file that
 * is missing is kept, so reading it reports it. An unreadable folder is an EmotuneError; an unreadable meta file
 * is left out (the file it names is then found only by the `*.mid` glob): `listRunFolder` says which.
 * @example
 * ```ts
 * const [first] = await et.listMidiFiles(et.resolveOutDir(config.paths.exp, record.out_dir));
 * if (first) await et.showMidiFile(first);
 * ```
 */
export async function listMidiFiles(
  outDir: string,
  read: (metaPath: string) => Promise<GenerationMeta> = readMeta,
): Promise<string[]> {
  return (await listRunFolder(outDir, read)).files;
}

/** `listMidiFiles`, with the files no meta file names and the meta files that could not be read. */
export async function listRunFolder(
  outDir: string,
  read: (metaPath: string) => Promise<GenerationMeta> = readMeta,
): Promise<RunFolderListing> {
  let names: string[];
  try {
    // Synchronous: listing a run folder takes microseconds, less than a round trip through the thread pool.
    names = readdirSync(outDir);
  } catch (cause) {
    throw new EmotuneError('cannot list the run folder', {
      file: outDir,
      code: 'run.folder',
      found: errorMessage(cause),
      cause,
    });
  }
  const named = new Set<string>();
  const unreadableMetas: RunFolderListing['unreadableMetas'] = [];
  for (const m of names.filter((n) => n.endsWith('.meta.json'))) {
    try {
      const meta = await read(join(outDir, m));
      checkMetaInside(meta, outDir);
      named.add(meta.paths.midi);
    } catch (e) {
      unreadableMetas.push({ file: join(outDir, m), reason: errorMessage(e) });
    }
  }
  const glob = named.size > 0 ? /\.mid$/ : /\.midi?$/i;
  const globbed = names.filter((n) => glob.test(n));
  const files = [...new Set([...globbed.map((n) => resolve(outDir, n)), ...named])].sort(comparePythonStrings);
  // A file whose own NAME.meta.json exists but was refused is reported with that meta file already.
  const metaNames = new Set(names.filter((n) => n.endsWith('.meta.json')));
  const unnamed = globbed
    .filter((n) => !metaNames.has(n.replace(/\.midi?$/i, '.meta.json')))
    .map((n) => resolve(outDir, n))
    .filter((f) => !named.has(f))
    .sort(comparePythonStrings);
  return { files, unnamed, unreadableMetas };
}

export async function computeEmotionKeyAdherence(
  outDir: string,
  emotion: unknown,
  key: string | null | undefined,
  opts: EmotionKeyOptions = {},
): Promise<EmotionKeyResult> {
  const files = await (opts.listMidiFiles ?? listMidiFiles)(outDir);
  const classify = opts.classify ?? (opts.classifier ? (f: string) => classifyMidi(f, opts.classifier!) : undefined);
  let outcomes: EmotionOutcome[] = [];
  if (classify) {
    const limit = opts.limit ?? pLimit(Math.max(1, opts.concurrency ?? 4));
    outcomes = await Promise.all(
      files.map((f) =>
        limit(() =>
          classify(f).catch((e: unknown): EmotionOutcome => ({ ok: false, file: f, reason: errorMessage(e) })),
        ),
      ),
    );
  }
  const result: EmotionKeyResult = { emotion: emotionAdherence(emotion, outcomes), num_files: files.length };
  if (key) {
    const read = opts.readMidi ?? readMidi;
    const results: KeyFileResult[] = [];
    const failures: KeyAdherence['failures'] = [];
    for (const f of files) {
      let score: MidiScore;
      try {
        score = await read(f);
      } catch (e) {
        failures.push({ file: f, reason: errorMessage(e) });
        continue;
      }
      results.push(keyFileResult(f, score.notes, key));
    }
    result.key = keyAdherence(key, results, failures);
  }
  return result;
}
