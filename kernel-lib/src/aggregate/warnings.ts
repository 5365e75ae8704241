import type { RunLike } from './rows.js';
import { cellLabel, gridCellOf, perSongValues, realSongs, type GridCellLike, type SongUnit } from './song-units.js';

/**
 * Validity warnings: conditions under which a figure in the extended results can mislead even though it is
 * computed correctly. Each is computed from what the analysis already knows (songs, runs, plan, problems).
 */

export type WarningCode =
  | 'identical-outputs'
  | 'constant-figure'
  | 'undefined-values'
  | 'classifier-out-of-range'
  | 'incomplete-grid'
  | 'analysis-problems'
  | 'at-floor'
  | 'tuned-with-classifier';

export interface ValidityWarning {
  code: WarningCode;
  /** One paragraph a reader can act on. */
  message: string;
  [detail: string]: unknown;
}

/** A figure with zero spread over at least this many songs is flagged. */
export const CONSTANT_FIGURE_MIN_SONGS = 5;
/** Cells and files named in a message before "and N more". */
const EXAMPLES = 3;

/** A run record as far as warnings need it (RunRecord fits). */
export type RunStatusLike = RunLike & { status?: string; reason?: string };

export interface WarningContext {
  /** Every song of the analysis. */
  songs: readonly SongUnit[];
  /** The songs of each (model, mode). */
  modes: ReadonlyArray<{ model: string; mode: string; songs: readonly SongUnit[] }>;
  /** Every run record, failed ones included (without it, no `incomplete-grid`). */
  runs?: readonly RunStatusLike[];
  /** The planned grid (model, mode, emotion, key, subset, conditions); runs never recorded count as missing. */
  planned?: readonly GridCellLike[];
  /** Files that could not be read or classified. */
  problems?: ReadonlyArray<{ file: string; reason: string; stage?: string }>;
  /** Which classifier produced the emotion figures; no emotion figure, no range check. */
  classifier?: 'builtin' | 'external';
  /** Figures with a label-shuffled floor and the Holm-adjusted p of their test against it. */
  floors?: readonly FloorEntry[];
  /** Which generator wrote the songs: this package's embedded one (`emotune generate`) or another command. */
  generator?: 'embedded' | 'external';
  /** The built-in classifier runs its committed model (the one the embedded generator was tuned with). */
  committedClassifier?: boolean;
}

/** A figure beside its label-shuffled floor (token-floors.ts, the reference block's shuffled baselines). */
export interface FloorEntry {
  model: string;
  mode: string;
  figure: string;
  observed: number;
  floor: { mean: number; lower: number; upper: number; p_adjusted: number; min_p_adjusted?: number };
}

const more = (n: number) => (n > 0 ? ` and ${n} more` : '');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Songs that are one song: same exact note stream, or (for every figure but key) a transposed copy. */
export function identicalOutputs(songs: readonly SongUnit[]): ValidityWarning[] {
  const real = realSongs(songs).filter((s) => !s.transposed.startsWith('file:'));
  const groups = new Map<string, SongUnit[]>();
  for (const s of real) {
    const g = groups.get(s.transposed);
    if (g) g.push(s);
    else groups.set(s.transposed, [s]);
  }
  const repeated = [...groups.values()].filter((g) => g.length > 1);
  if (repeated.length === 0) return [];
  const details = repeated.map((g) => {
    const cells = [...new Map(g.map((s) => [s.cell, cellLabel(s.run)])).values()];
    return { kind: new Set(g.map((s) => s.exact)).size > 1 ? 'transposed' : 'identical', songs: g.length, cells };
  });
  const copies = repeated.reduce((a, g) => a + g.length - 1, 0);
  const crossCell = details.filter((d) => d.cells.length > 1);
  const examples = (crossCell.length > 0 ? crossCell : details)
    .slice(0, EXAMPLES)
    .map(
      (d) =>
        `${d.cells.slice(0, EXAMPLES).join(' = ')}${more(d.cells.length - EXAMPLES)}${d.kind === 'transposed' ? ' (transposed copies)' : ''}`,
    );
  return [
    {
      code: 'identical-outputs',
      message:
        `${real.length} songs hold ${real.length - copies} distinct note streams: ${plural(repeated.length, 'song')} occur more than once ` +
        `(${copies} extra copies; ${crossCell.length} of these songs in more than one grid cell), e.g. ${examples.join('; ')}. Copies count once in n_distinct and in every interval ` +
        '(transposed copies too, except for key figures); a figure over repeated songs says less than its n_songs suggests.',
      songs: real.length,
      distinct: real.length - copies,
      groups: details,
    },
  ];
}

/** A per-mode figure with the same value for every song (>= 5 songs): often true by construction. */
export function constantFigures(modes: WarningContext['modes']): ValidityWarning[] {
  const out: ValidityWarning[] = [];
  for (const m of modes) {
    for (const [figure, values] of [...perSongValues(realSongs(m.songs)).entries()].sort((a, b) =>
      a[0] < b[0] ? -1 : 1,
    )) {
      if (values.length < CONSTANT_FIGURE_MIN_SONGS) continue;
      if (!values.every((v) => v === values[0])) continue;
      out.push({
        code: 'constant-figure',
        message:
          `${m.model} ${m.mode}: ${figure} is ${values[0]} for every one of ${values.length} songs (zero spread). It may be true by construction ` +
          '(a value the generator forces or always picks) rather than a measured property; its interval cannot show uncertainty.',
        model: m.model,
        mode: m.mode,
        figure,
        value: values[0],
        songs: values.length,
      });
    }
  }
  return out;
}

/**
 * Per mode: figures that leave songs out because their value is undefined for them (NaN, e.g. a rhythm
 * measure of a one-note song). Each figure's n_songs counts the rest; here the reader learns which and why.
 */
export function undefinedValues(modes: WarningContext['modes']): ValidityWarning[] {
  const out: ValidityWarning[] = [];
  for (const m of modes) {
    const byFigure = new Map<string, { songs: number; undefined: string[] }>();
    for (const s of realSongs(m.songs)) {
      for (const c of s.contributions) {
        // A count with no trials carries nothing to leave out; a measure marks an undefined value with NaN.
        if (c.count && !(c.den > 0)) continue;
        let f = byFigure.get(c.metric);
        if (!f) byFigure.set(c.metric, (f = { songs: 0, undefined: [] }));
        f.songs++;
        if (!(c.den > 0) || !Number.isFinite(c.num)) f.undefined.push(s.id);
      }
    }
    const left = [...byFigure.entries()]
      .filter(([, f]) => f.undefined.length > 0)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (left.length === 0) continue;
    out.push({
      code: 'undefined-values',
      message:
        `${m.model} ${m.mode}: ${plural(left.length, 'figure')} ${left.length === 1 ? 'leaves' : 'leave'} out songs for which the measure is undefined (${left
          .slice(0, EXAMPLES)
          .map(([figure, f]) => `${figure}: ${f.undefined.length} of ${f.songs} songs, e.g. ${f.undefined[0]}`)
          .join('; ')}${more(left.length - EXAMPLES)}). ` +
        'These figures rest on the other songs (their n_songs); if the undefined songs differ systematically (very short or sparse songs), the figures are biased.',
      model: m.model,
      mode: m.mode,
      figures: Object.fromEntries(left.map(([figure, f]) => [figure, { songs: f.songs, undefined: f.undefined }])),
    });
  }
  return out;
}

/** Per mode: songs whose classifier input features lie outside the classifier's training range. */
export function classifierOutOfRange(
  modes: WarningContext['modes'],
  classifier: WarningContext['classifier'],
): ValidityWarning[] {
  if (!classifier) return [];
  const out: ValidityWarning[] = [];
  for (const m of modes) {
    const checked = realSongs(m.songs).filter((s) => s.outOfRange !== undefined);
    const outside = checked.filter((s) => s.outOfRange!.length > 0);
    if (outside.length === 0) continue;
    const features = new Map<string, { songs: number; lo: number; hi: number; min: number; max: number }>();
    for (const s of outside) {
      for (const f of s.outOfRange!) {
        const e = features.get(f.feature) ?? { songs: 0, lo: f.lo, hi: f.hi, min: f.value, max: f.value };
        e.songs++;
        e.min = Math.min(e.min, f.value);
        e.max = Math.max(e.max, f.value);
        features.set(f.feature, e);
      }
    }
    const list = [...features.entries()].sort((a, b) => b[1].songs - a[1].songs || (a[0] < b[0] ? -1 : 1));
    const who =
      classifier === 'builtin'
        ? 'the built-in classifier'
        : 'the classifier (checked on the built-in feature set and its EMOPIA training ranges)';
    out.push({
      code: 'classifier-out-of-range',
      message:
        `${m.model} ${m.mode}: ${outside.length} of ${checked.length} songs have inputs outside the range ${who} was trained on ` +
        `(${list.map(([name, e]) => `${name}: ${plural(e.songs, 'song')}, ${fmt(e.min)}..${fmt(e.max)} vs trained ${fmt(e.lo)}..${fmt(e.hi)}`).join('; ')}). ` +
        'Their emotion predictions are extrapolations; emotion adherence for these songs is not backed by training data.',
      model: m.model,
      mode: m.mode,
      classifier,
      songs: checked.length,
      songs_out_of_range: outside.length,
      features: Object.fromEntries(
        list.map(([name, e]) => [name, { songs: e.songs, trained: [e.lo, e.hi], observed: [e.min, e.max] }]),
      ),
    });
  }
  return out;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(3));

/**
 * Planned cells without results (runs that failed, were invalid, produced no songs, or never ran), and cells
 * whose only results come from a run that did not complete (e.g. invalid: 3 of 5 songs written).
 */
export function incompleteGrid(
  runs: readonly RunStatusLike[] | undefined,
  planned: readonly GridCellLike[] | undefined,
  songs: readonly SongUnit[],
): ValidityWarning[] {
  if (!runs && !planned) return [];
  const withSongs = new Set(realSongs(songs).map((s) => s.cell));
  // A cell recorded twice (a retry) counts once, as its latest state.
  const latest = new Map<string, RunStatusLike>();
  for (const r of runs ?? []) latest.set(gridCellOf(r), r);
  const missing: Array<{ cell: string; reason: string }> = [];
  const partial: Array<{ cell: string; reason: string }> = [];
  for (const [cell, r] of latest) {
    const ok = r.returncode === 0 && (r.status === undefined || r.status === 'ok');
    const failure = `${r.status ?? 'failed'}${r.reason ? `: ${r.reason}` : ` (returncode ${r.returncode})`}`;
    if (withSongs.has(cell)) {
      if (!ok) partial.push({ cell: cellLabel(r), reason: `${failure}; its figures rest on the songs it left` });
    } else missing.push({ cell: cellLabel(r), reason: ok ? 'the run succeeded but left no readable song' : failure });
  }
  for (const p of planned ?? []) {
    const cell = gridCellOf(p);
    if (!latest.has(cell) && !withSongs.has(cell))
      missing.push({ cell: cellLabel(p), reason: 'planned but never run' });
  }
  if (missing.length + partial.length === 0) return [];
  const cells = [...missing, ...partial];
  const total = new Set([...(planned ?? []).map(gridCellOf), ...latest.keys()]).size;
  const listed = (list: typeof cells) =>
    `${list
      .slice(0, EXAMPLES)
      .map((c) => `${c.cell}: ${c.reason}`)
      .join('; ')}${more(list.length - EXAMPLES)}`;
  const parts = [
    ...(missing.length ? [`${missing.length} of ${total} grid cells have no results (${listed(missing)})`] : []),
    ...(partial.length
      ? [`${partial.length} of ${total} grid cells rest on a run that did not complete (${listed(partial)})`]
      : []),
  ];
  return [
    {
      code: 'incomplete-grid',
      message:
        `${parts.join('; ')}. ` +
        'Per-mode figures and paired tests cover the remaining cells and songs only; if failures depend on the condition, the figures are biased.',
      cells,
      planned: total,
    },
  ];
}

/** Files the analysis could not read or classify: they count nowhere. */
export function analysisProblems(problems: WarningContext['problems']): ValidityWarning[] {
  if (!problems || problems.length === 0) return [];
  const unique = [...new Map(problems.map((p) => [`${p.file}\u0000${p.reason}`, p])).values()];
  return [
    {
      code: 'analysis-problems',
      message: `${plural(unique.length, 'file')} could not be read or classified and count in no figure (${unique
        .slice(0, EXAMPLES)
        .map((p) => `${p.file}: ${p.reason}`)
        .join('; ')}${more(unique.length - EXAMPLES)}).`,
      problems: unique,
    },
  ];
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
const pText = (p: number) => (p < 0.1 ? p.toFixed(3) : p.toFixed(2));

/**
 * Figures not shown above their label-shuffled floor (Holm-adjusted p >= .05): what the same songs score whatever
 * was asked for, so the figure, however high, is no evidence that the generator obeys that condition.
 */
export function atFloor(floors: readonly FloorEntry[] | undefined): ValidityWarning[] {
  return (floors ?? [])
    .filter((f) => !(f.floor.p_adjusted < 0.05))
    .map((f) => ({
      code: 'at-floor',
      message:
        `${f.model} ${f.mode}: ${f.figure} ${percent(f.observed)} is not shown above its floor ${percent(f.floor.mean)} ` +
        `[${percent(f.floor.lower)}, ${percent(f.floor.upper)}] (the same songs scored against requests shuffled among them; ` +
        `Holm-adjusted p = ${pText(f.floor.p_adjusted)}). ` +
        (f.floor.min_p_adjusted !== undefined && f.floor.min_p_adjusted >= 0.05
          ? `With so few songs per grid cell this test cannot pass: its smallest possible adjusted p is ${pText(f.floor.min_p_adjusted)}. Generate more songs per run (num_songs) before reading the figure as obedience.`
          : 'These songs score this much whatever was asked: read it as what the generator writes anyway, not as obedience to the condition.'),
      model: f.model,
      mode: f.mode,
      figure: f.figure,
      observed: f.observed,
      floor: f.floor.mean,
      p_adjusted: f.floor.p_adjusted,
      ...(f.floor.min_p_adjusted !== undefined ? { min_p_adjusted: f.floor.min_p_adjusted } : {}),
    }));
}

/**
 * The embedded generator judged by the built-in classifier: that generator's rhythm and note-length settings were
 * chosen partly by how often this classifier heard the requested quadrant in its songs, so its emotion adherence
 * under the same classifier is partly true by construction (a model chosen on its own test).
 */
export function tunedWithClassifier(
  modes: WarningContext['modes'],
  committedClassifier: WarningContext['committedClassifier'],
  generator: WarningContext['generator'],
): ValidityWarning[] {
  if (!committedClassifier || generator !== 'embedded') return [];
  const judged = modes.filter((m) =>
    m.songs.some((s) => s.contributions.some((c) => c.metric === 'emotion_adherence')),
  );
  if (judged.length === 0) return [];
  const count =
    judged.length === modes.length && judged.length > 1 ? `all ${judged.length} modes` : plural(judged.length, 'mode');
  const named = judged.slice(0, EXAMPLES).map((m) => `${m.model} ${m.mode}`);
  return [
    {
      code: 'tuned-with-classifier',
      message:
        `Emotion adherence of ${count} (${named.join(', ')}${more(judged.length - EXAMPLES)}) is the embedded generator judged by the built-in classifier, ` +
        "and that generator's rhythm and note-length settings were chosen partly by how often this classifier heard the requested quadrant in its songs " +
        '(kernel-lib/embedded/README.md, "How the change was chosen"): the figure is partly true by construction and likely optimistic. ' +
        'Judge the songs with a classifier that played no part in tuning the generator (classifier.command, e.g. EMOPIA_cls) before comparing this generator with another.',
      figure: 'emotion_adherence',
      modes: judged.map((m) => ({ model: m.model, mode: m.mode })),
    },
  ];
}

/** Every warning of an analysis, in a fixed order. */
export function validityWarnings(ctx: WarningContext): ValidityWarning[] {
  return [
    ...identicalOutputs(ctx.songs),
    ...constantFigures(ctx.modes),
    ...undefinedValues(ctx.modes),
    ...classifierOutOfRange(ctx.modes, ctx.classifier),
    ...incompleteGrid(ctx.runs, ctx.planned, ctx.songs),
    ...analysisProblems(ctx.problems),
    ...atFloor(ctx.floors),
    ...tunedWithClassifier(ctx.modes, ctx.committedClassifier, ctx.generator),
  ];
}
