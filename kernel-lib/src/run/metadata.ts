import { join } from 'node:path';
import { EmotuneError, errorMessage } from '../errors.js';
import { writeJsonAtomic } from '../formats/atomic-write.js';
import { readInputFile } from '../formats/read-input.js';
import { checkJsonDepth } from '../formats/json-depth.js';
import type { RunRecord } from './types.js';

export const RUNS_METADATA_FILE = 'all_runs_metadata.json';

/**
 * Path of an experiment folder's run records, `<exp>/all_runs_metadata.json`.
 * @example
 * ```ts
 * const runs = await et.readRunsMetadata(et.metadataPath(config.paths.exp));
 * ```
 */
export function metadataPath(expDir: string): string {
  return join(expDir, RUNS_METADATA_FILE);
}

/** Records as the reference notebook writes them (`json.dump(ALL_RUNS, f, indent=2)`), always rewritten atomically. */
export async function writeRunsMetadata(expDir: string, records: RunRecord[]): Promise<string> {
  const path = metadataPath(expDir);
  await writeJsonAtomic(path, records, 2);
  return path;
}

/**
 * Read `all_runs_metadata.json` (ours or the reference notebook's). Only the reference notebook's fields are required;
 * a record missing one is named by its position and field.
 * @example
 * ```ts
 * // Analyse an experiment run earlier (or by the CLI) without running it again.
 * const runs = await et.readRunsMetadata(et.metadataPath(config.paths.exp));
 * const analysis = await et.analyzeExperiment({ expDir: config.paths.exp, runs: runs, word2eventByModel: vocabs });
 * ```
 */
export async function readRunsMetadata(path: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readInputFile(path, 'runs')); // a regular file, size-capped
  } catch (e) {
    throw new EmotuneError('cannot read run metadata', {
      file: path,
      expected: 'all_runs_metadata.json written by a run',
      found: (e as EmotuneError).found ?? (e as NodeJS.ErrnoException).code,
      code: 'runs.unreadable',
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new EmotuneError(`malformed JSON: ${errorMessage(e)}`, { file: path, code: 'runs.malformed-json' });
  }
  checkJsonDepth(raw, path);
  if (!Array.isArray(raw))
    throw new EmotuneError('run metadata is not a list', {
      file: path,
      expected: 'a JSON array of run records',
      code: 'runs.invalid',
    });
  const required: Array<[string, string]> = [
    ['model', 'string'],
    ['mode', 'string'],
    ['emotion', 'number'],
    ['out_dir', 'string'],
    ['returncode', 'number'],
  ];
  raw.forEach((r, i) => {
    if (r === null || typeof r !== 'object')
      throw new EmotuneError('run record is not an object', { file: path, field: `[${i}]`, code: 'runs.invalid' });
    for (const [f, t] of required) {
      if (typeof (r as Record<string, unknown>)[f] !== t)
        throw new EmotuneError('run record field missing or of the wrong type', {
          file: path,
          field: `[${i}].${f}`,
          expected: t,
          code: 'runs.invalid',
        });
    }
    const rec = r as Record<string, unknown>;
    if (!Array.isArray(rec.subset)) rec.subset = [];
    if (rec.conditions === undefined || rec.conditions === null) rec.conditions = {};
    if (rec.key === undefined) rec.key = null;
  });
  return raw as RunRecord[];
}
