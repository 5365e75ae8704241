import { readFile } from 'node:fs/promises';
import { EmotuneError, describeValue, errorMessage } from '../errors.js';
import { writeFileAtomic } from '../formats/atomic-write.js';
import { parseJsonText } from '../formats/meta.js';
import type { EmotionAdherence, KeyAdherence } from '../metrics/emotion-key-adherence.js';
import type { TokenAdherence } from '../metrics/token-adherence.js';
import { npMean } from '../metrics/np-stats.js';
import { pyJsonDumpIndent } from './py-format.js';

/**
 * The reference notebook's AGGREGATE RESULTS cell: per-file token adherence and per-run emotion/key figures grouped by
 * (model, mode, emotion, key, subset); every figure is the numpy mean of the group's values.
 */

/** The fields of a run record the analysis reads (RunRecord from run/ fits). */
export interface RunLike {
  model: string;
  mode: string;
  emotion: number;
  key?: string | null;
  subset: string[];
  out_dir: string;
  returncode: number;
  /** The grid cell's condition values (run records have them; rows group runs without them). */
  conditions?: Record<string, string>;
}

export interface TokenFileReport {
  /** The meta file (absolute path). */
  meta: string;
  adherence: Record<string, TokenAdherence>;
  num_tokens: number;
}

export interface TokenReport<R extends RunLike = RunLike> {
  run: R;
  files: TokenFileReport[];
}

export interface EmotionKeyReport<R extends RunLike = RunLike> {
  run: R;
  emotion_adherence: EmotionAdherence;
  /** Only for runs with a key (as the reference notebook: `results.get('key', {}) if key else None`). */
  key_adherence: KeyAdherence | null;
  num_files: number;
}

/** One row of `evaluation_results_comprehensive.json`. */
export interface ResultRow {
  model: string;
  mode: string;
  emotion: number;
  key: string | null;
  subset: string[];
  /** `<token>_adherence`, `<token>_distance`, `emotion_adherence`, `key_adherence`, `key_correlation`. */
  [metric: string]: number | string | null | string[];
}

/** Field names that hold figures (floats in the reference notebook's JSON). */
export function isMetricField(name: string | number): boolean {
  return (
    typeof name === 'string' &&
    (name.endsWith('_adherence') || name.endsWith('_distance') || name === 'key_correlation')
  );
}

function groupKey(run: RunLike): string {
  return JSON.stringify([run.model, run.mode, run.emotion, run.key ?? null, run.subset]);
}

interface Group {
  run: RunLike;
  tokens: Map<string, { adherence: number[]; distance: number[] }>;
}

export function aggregateRows(
  tokenReports: readonly TokenReport[],
  emotionKeyReports: readonly EmotionKeyReport[],
): ResultRow[] {
  const agg = new Map<string, Group>();
  const ek = new Map<
    string,
    { run: RunLike; emotion_adherence: number[]; key_adherence: number[]; key_correlation: number[] }
  >();
  for (const report of tokenReports) {
    const k = groupKey(report.run);
    for (const f of report.files) {
      for (const [token, stats] of Object.entries(f.adherence)) {
        let g = agg.get(k);
        if (!g) agg.set(k, (g = { run: report.run, tokens: new Map() }));
        let t = g.tokens.get(token);
        if (!t) g.tokens.set(token, (t = { adherence: [], distance: [] }));
        t.adherence.push(stats.adherence_ratio);
        if (stats.is_numeric && stats.mean_distance !== undefined) t.distance.push(stats.mean_distance);
      }
    }
  }
  const ekGroup = (run: RunLike) => {
    const k = groupKey(run);
    let g = ek.get(k);
    if (!g) ek.set(k, (g = { run, emotion_adherence: [], key_adherence: [], key_correlation: [] }));
    return g;
  };
  for (const report of emotionKeyReports) {
    if (report.emotion_adherence?.adherence_ratio !== undefined)
      ekGroup(report.run).emotion_adherence.push(report.emotion_adherence.adherence_ratio);
    const ka = report.key_adherence;
    if (ka) {
      if (ka.adherence_ratio !== undefined) ekGroup(report.run).key_adherence.push(ka.adherence_ratio);
      if (ka.mean_correlation !== undefined) ekGroup(report.run).key_correlation.push(ka.mean_correlation);
    }
  }
  const keys = [...agg.keys(), ...[...ek.keys()].filter((k) => !agg.has(k))];
  return keys.map((k) => {
    const run = (agg.get(k) ?? ek.get(k))!.run;
    const row: ResultRow = {
      model: run.model,
      mode: run.mode,
      emotion: run.emotion,
      key: run.key ?? null,
      subset: [...run.subset],
    };
    const g = agg.get(k);
    if (g) {
      for (const [token, m] of g.tokens) {
        if (m.adherence.length) row[`${token}_adherence`] = npMean(m.adherence);
        if (m.distance.length) row[`${token}_distance`] = npMean(m.distance);
      }
    }
    const e = ek.get(k);
    if (e) {
      if (e.emotion_adherence.length) row.emotion_adherence = npMean(e.emotion_adherence);
      if (e.key_adherence.length) row.key_adherence = npMean(e.key_adherence);
      if (e.key_correlation.length) row.key_correlation = npMean(e.key_correlation);
    }
    return row;
  });
}

/** The text `json.dump(rows, f, indent=2)` writes (figures as Python floats: `1.0`, not `1`). */
export function formatResultsJson(rows: readonly ResultRow[]): string {
  return pyJsonDumpIndent(rows, isMetricField);
}

/**
 * Write `evaluation_results_comprehensive.json` atomically.
 * @example
 * ```ts
 * await et.writeResultsFile(path.join(config.paths.exp, "evaluation_results_comprehensive.json"), analysis.rows);
 * ```
 */
export async function writeResultsFile(path: string, rows: readonly ResultRow[]): Promise<void> {
  await writeFileAtomic(path, formatResultsJson(rows));
}

/**
 * Read a results file written by the reference notebook or by `writeResultsFile`, checking each row's shape.
 * @example
 * ```ts
 * const rows = await et.readResultsFile(path.join(config.paths.exp, "evaluation_results_comprehensive.json"));
 * et.showAdherenceByMode(rows);
 * ```
 */
export async function readResultsFile(path: string): Promise<ResultRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new EmotuneError('cannot read file', { file: path, code: 'results.io', found: errorMessage(cause), cause });
  }
  // Python writes NaN/Infinity for non-finite floats; JSON.parse does not accept them (1e999 parses as Infinity).
  const pythonish = text.replace(/(?<=[:[,]\s*)(-?)(Infinity|NaN)(?=\s*[,\]}])/g, (_m, sign: string, word: string) =>
    word === 'NaN' ? 'null' : `${sign}1e999`,
  );
  const doc = parseJsonText(pythonish, path);
  if (!Array.isArray(doc))
    throw new EmotuneError('results file is not a list of rows', {
      file: path,
      code: 'results.invalid',
      expected: 'a JSON array',
      found: describeValue(doc),
    });
  doc.forEach((row: unknown, i) => {
    const bad = (field: string, expected: string, found: unknown): never => {
      throw new EmotuneError('invalid result row', {
        file: path,
        field: `[${i}].${field}`,
        code: 'results.invalid',
        expected,
        found: describeValue(found),
      });
    };
    if (typeof row !== 'object' || row === null || Array.isArray(row)) bad('(row)', 'an object', row);
    const r = row as Record<string, unknown>;
    if (typeof r.model !== 'string') bad('model', 'a string', r.model);
    if (typeof r.mode !== 'string') bad('mode', 'a string', r.mode);
    if (!Array.isArray(r.subset)) bad('subset', 'a list of token names', r.subset);
    for (const [k, v] of Object.entries(r)) {
      if (isMetricField(k) && typeof v !== 'number' && v !== null) bad(k, 'a number', v);
      if (isMetricField(k) && v === null) r[k] = NaN; // Python's NaN
    }
  });
  return doc as ResultRow[];
}
