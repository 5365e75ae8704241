/** Records for tables (and the report) from the extended results: figures with intervals, paired mode tests. */
import type { ExtendedResults, Figure } from '../aggregate/extended-results.js';
import { metricLabel } from './charts.js';
import type { ModeComparison } from '../aggregate/extended-results.js';
import type { ResultRecord } from './types.js';
import { formatInterval, formatP, formatPercent, NUMBER_FORMATS } from './format.js';

/**
 * One record per (model, mode): each figure's estimate as `<metric>` and its interval as `<metric>_ci`,
 * which the table payload shows as an interval under the value; a token figure's label-shuffled floor as
 * `<metric>_floor` (the adherence chart draws it across the bar), and with the reference block attached the
 * emotion and key figures' floors too.
 * @example
 * ```ts
 * et.showTable(et.modeSummaryRecords(extended), { title: "Per mode, with 95% intervals" });
 * ```
 */
export function modeSummaryRecords(
  extended: Pick<ExtendedResults, 'modes'> & { reference?: ReferenceFloorsLike | null },
): ResultRecord[] {
  return extended.modes.map((m) => {
    const floors = { ...referenceFloors(extended.reference, m.model, m.mode), ...m.floors };
    const rec: ResultRecord = {
      model: m.model,
      mode: m.mode,
      cells: m.cells,
      n_songs: m.n_songs,
      n_distinct: m.n_distinct,
    };
    for (const [metric, f] of Object.entries(m.figures)) {
      if (!Number.isFinite(f.estimate)) continue;
      rec[metric] = f.estimate;
      if (Number.isFinite(f.lower) && Number.isFinite(f.upper)) rec[`${metric}_ci`] = [f.lower, f.upper];
      // Beside the figure, what the same songs score against shuffled requests (token-floors.ts); only where the
      // floor rests on the figure's own songs (an incomplete grid's floor covers part: tokenFloorRecords shows it).
      const floor = floors[metric];
      const sameSongs = floor?.songs === undefined || f.n_songs === undefined || floor.songs === f.n_songs;
      if (floor && sameSongs && Number.isFinite(floor.mean)) rec[`${metric}_floor`] = floor.mean;
    }
    const fewer = fewerSongs(m.figures, m.n_songs);
    if (fewer) rec['figures_on_fewer_songs'] = fewer;
    return rec;
  });
}

/** A floor test's reading at .05: above, not shown above, or unable to show it with so few songs per cell. */
function floorReading(f: { p_adjusted: number; min_p_adjusted?: number }): string {
  if (f.p_adjusted < 0.05) return 'above its floor';
  if (f.min_p_adjusted !== undefined && f.min_p_adjusted >= 0.05)
    return `too few songs per cell to show it, smallest possible ${formatP(f.min_p_adjusted)}`;
  return 'not shown above its floor';
}

/**
 * One record per token figure with a label-shuffled floor (token-floors.ts): the figure and its interval, the floor
 * and the 95% range of the shuffles, how far above the floor the figure is, and the permutation p, Holm-adjusted
 * over every floor of the file, with its reading at .05; then one per token figure without a floor, saying why.
 * @example
 * ```ts
 * et.showTable(et.tokenFloorRecords(extended), { title: "Token figures against their floors" });
 * ```
 */
export function tokenFloorRecords(extended: Pick<ExtendedResults, 'modes'>): ResultRecord[] {
  return extended.modes.flatMap((m) => [
    ...Object.entries(m.floors ?? {}).map(([metric, floor]) => {
      const f = m.figures[metric];
      return {
        model: m.model,
        mode: m.mode,
        figure: metricLabel(metric),
        adherence: floor.observed,
        ...(f && Number.isFinite(f.lower) && Number.isFinite(f.upper) ? { adherence_ci: [f.lower, f.upper] } : {}),
        adherence_floor: floor.mean,
        adherence_floor_ci: [floor.lower, floor.upper],
        above_floor_pp: 100 * (floor.observed - floor.mean),
        p: formatP(floor.p_adjusted),
        reading: floorReading(floor),
        test: `one-sided permutation (${floor.permutations}), Holm-adjusted`,
        n_songs: floor.songs,
      };
    }),
    // A token figure without a floor is listed too, saying why, rather than left out of the table.
    ...withoutFloor(m).map(([metric, f]) => ({
      model: m.model,
      mode: m.mode,
      figure: metricLabel(metric),
      adherence: f.estimate,
      ...(Number.isFinite(f.lower) && Number.isFinite(f.upper) ? { adherence_ci: [f.lower, f.upper] } : {}),
      reading: NO_FLOOR,
      n_songs: f.n_songs,
    })),
  ]);
}

/** Why a token figure has no floor: no grid cell asked for two of its values, so there is nothing to shuffle. */
const NO_FLOOR = 'no floor: no grid cell asked for two values of this token; max_values_per_token 2 or more gives one';

/** A mode's token figures (all-steps and note-steps adherence) with a value but no floor, in the figures' order. */
function withoutFloor(m: ExtendedResults['modes'][number]): Array<[string, Figure]> {
  return Object.entries(m.figures).filter(
    ([metric, f]) =>
      /_(note_)?adherence$/.test(metric) &&
      !/^(emotion|key)_/.test(metric) &&
      Number.isFinite(f.estimate) &&
      !m.floors?.[metric],
  );
}

/**
 * Lines under the comparison table: per (model, mode), each token's all-steps figure (pooled over songs, so it can
 * differ from the table's mean of files) against its floor, with the Holm-adjusted p, or why it has none.
 */
export function tokenFloorLines(extended: Pick<ExtendedResults, 'modes'>): string[] {
  const lines = extended.modes.flatMap((m) => {
    const allSteps = (metric: string) => !metric.endsWith('_note_adherence');
    const token = (metric: string) => metric.replace(/_adherence$/, '');
    const parts = [
      ...Object.entries(m.floors ?? {})
        .filter(([metric]) => allSteps(metric))
        .map(
          ([metric, f]) =>
            `${token(metric)} ${formatPercent(f.observed)} vs floor ${formatPercent(f.mean)} (${formatP(f.p_adjusted)}${f.p_adjusted < 0.05 ? '' : `; ${floorReading(f)}`})`,
        ),
      ...withoutFloor(m)
        .filter(([metric]) => allSteps(metric))
        .map(([metric, f]) => `${token(metric)} ${formatPercent(f.estimate)} (${NO_FLOOR})`),
    ];
    return parts.length ? [`  ${m.model} ${m.mode}: ${parts.join('; ')}`] : [];
  });
  if (lines.length === 0) return [];
  return [
    'Token adherence against its floor (all steps, pooled over songs; floor: the same songs scored against requests shuffled within their grid cell; one-sided permutation p, Holm-adjusted):',
    ...lines,
    '',
  ];
}

type Floor = { mean: number; songs?: number } | null | undefined;

/** A label-shuffled baseline of the reference block (reference/agreement.ts ShuffledBaseline), as these lines read it. */
interface ShuffledLike {
  mean: number;
  p: number;
  p_adjusted?: number;
  min_p_adjusted?: number;
}

/** The parts of the reference block (reference/block.ts) that the lines under the table read. */
export interface ReferenceLinesLike {
  source: { dataset: string; split: string; clips: number; songs: number; builtin_classifier: boolean };
  ceiling: { emotion: { overall: Figure } };
  adherence: ReadonlyArray<{
    model: string;
    mode: string;
    emotion: Figure;
    shuffled: { emotion: ShuffledLike | null };
    key: { seed: Figure; shuffled_seed: ShuffledLike | null } | null;
  }>;
}

/** `52.9% [45.0%, 60.4%]`: a figure with its interval when it has one. */
function percentWithCi(f: Figure): string {
  const ci = Number.isFinite(f.lower) && Number.isFinite(f.upper);
  return `${formatPercent(f.estimate)}${ci ? ` ${formatInterval([f.lower, f.upper], NUMBER_FORMATS.percent)}` : ''}`;
}

/** `floor 26.1% (p = 0.001)`, with the reading when the figure is not shown above it; or why there is none. */
function shuffledPart(s: ShuffledLike | null, none: string): string {
  if (!s) return none;
  const p = s.p_adjusted ?? s.p;
  return `floor ${formatPercent(s.mean)} (${formatP(p)}${p < 0.05 ? '' : `; ${floorReading({ p_adjusted: p, min_p_adjusted: s.min_p_adjusted })}`})`;
}

/**
 * Lines under the comparison table for the emotion and key figures, as tokenFloorLines gives the token figures: per
 * (model, mode), emotion adherence with its interval beside the real-music ceiling (the built-in classifier on the
 * reference clips) and the label-shuffled floor, and key adherence beside its floor. Empty without a reference block.
 */
export function referenceAdherenceLines(extended: { reference?: ReferenceLinesLike | null }): string[] {
  const ref = extended.reference;
  if (!ref || ref.adherence.length === 0) return [];
  const ceiling = ref.ceiling.emotion.overall;
  const lines = ref.adherence.map((a) => {
    const parts = [
      `emotion ${percentWithCi(a.emotion)} vs ceiling ${percentWithCi(ceiling)}, ${shuffledPart(a.shuffled.emotion, 'no floor (one quadrant requested)')}`,
    ];
    if (a.key)
      parts.push(
        `key ${percentWithCi(a.key.seed)}${a.key.shuffled_seed ? ` vs ${shuffledPart(a.key.shuffled_seed, '')}` : ', no floor (one key requested)'}`,
      );
    return `  ${a.model} ${a.mode}: ${parts.join('; ')}`;
  });
  const src = ref.source;
  return [
    `Emotion and key adherence (songs as the unit) beside real music (ceiling: the built-in classifier on ${src.dataset} ${src.split}, ${src.clips} clips from ${src.songs} songs${src.builtin_classifier ? '' : ', not the classifier this analysis used'}) and beside ignoring the request (floor: the same songs against requests shuffled within the mode; one-sided permutation p, Holm-adjusted):`,
    ...lines,
    '',
  ];
}

/** The parts of the reference block (reference/block.ts, attached by attachReference) that hold the floors. */
export interface ReferenceFloorsLike {
  adherence?: ReadonlyArray<{
    model: string;
    mode: string;
    shuffled?: { emotion?: Floor };
    key?: { shuffled_seed?: Floor; shuffled_best?: Floor } | null;
  }>;
}

/**
 * The emotion and key figures' label-shuffled floors of one (model, mode) from the reference block (attachReference),
 * under the per-mode figures' names.
 */
function referenceFloors(
  reference: ReferenceFloorsLike | null | undefined,
  model: string,
  mode: string,
): Record<string, Floor> {
  const a = reference?.adherence?.find((x) => x.model === model && x.mode === mode);
  if (!a) return {};
  return {
    emotion_adherence: a.shuffled?.emotion,
    key_adherence: a.key?.shuffled_seed,
    key_adherence_best: a.key?.shuffled_best,
  };
}

/**
 * The figures of a mode that rest on fewer songs than its n_songs (token figures count only the runs
 * conditioned on that token; a measure undefined for a song leaves it out), e.g. `duration 120, velocity 120`.
 */
function fewerSongs(figures: ExtendedResults['modes'][number]['figures'], songs: number): string | undefined {
  const groups = new Map<string, Set<number>>();
  for (const [metric, f] of Object.entries(figures)) {
    if (f.n_songs === undefined || f.n_songs >= songs || !Number.isFinite(f.estimate)) continue;
    // A token's three figures (all steps, note steps, distance) rest on the same runs: one entry for them.
    const token = /^(.+?)_(?:note_adherence|note_distance|adherence|distance)$/.exec(metric)?.[1];
    const name = token && token !== 'emotion' && token !== 'key' ? `${token} figures` : metric;
    groups.set(name, (groups.get(name) ?? new Set<number>()).add(f.n_songs));
  }
  if (groups.size === 0) return undefined;
  return [...groups.entries()].map(([name, ns]) => `${name}: ${[...ns].join('/')}`).join(', ');
}

/** Which way is better for a metric: `up` for adherence and key scores, `down` for distances, none for the rest. */
export function metricDirection(metric: string): 'up' | 'down' | undefined {
  if (/(_adherence|_mirex)(_best)?$/.test(metric)) return 'up';
  if (/_distance$/.test(metric)) return 'down';
  return undefined;
}

/** Ratios (shown in percent) get differences in percentage points. */
function isRatio(metric: string): boolean {
  return /_adherence(_best)?$/.test(metric);
}

type Verdict = string;

/**
 * The test a comparison reports and its verdict: the corrected p-value and the verdict computed from it when the
 * results carry them (`p_adjusted`), else the exact sign test at 0.05 with the direction of its counts.
 */
function reportedTest(c: ModeComparison['comparison']): { p: number; test: string; verdict: Verdict } {
  const adjusted = (c as { p_adjusted?: unknown }).p_adjusted;
  if (typeof adjusted === 'number' && Number.isFinite(adjusted))
    return { p: adjusted, test: 'Wilcoxon signed-rank, Holm-adjusted', verdict: String(c.verdict) };
  const p = c.sign.pValue;
  const verdict =
    c.n === 0
      ? 'no data'
      : p < 0.05
        ? c.sign.positive > c.sign.negative
          ? 'a higher'
          : c.sign.negative > c.sign.positive
            ? 'b higher'
            : 'no clear difference'
        : 'no clear difference';
  return { p, test: 'exact sign test', verdict };
}

/** The verdict in words, given which way is better: `primed better`, `no clear difference`, ... */
export function betterMode(a: string, b: string, verdict: Verdict, direction: 'up' | 'down' | undefined): string {
  if (verdict !== 'a higher' && verdict !== 'b higher') return verdict;
  const higher = verdict === 'a higher' ? a : b;
  const lower = verdict === 'a higher' ? b : a;
  if (direction === 'up') return `${higher} better`;
  if (direction === 'down') return `${lower} better`;
  return `${higher} higher`;
}

/**
 * One record per paired comparison: which mode is better on the metric given its direction, the mean
 * difference a − b with its interval (`difference_pp` in percentage points for ratios, `difference` in the
 * metric's unit otherwise), the p-value of the test the verdict rests on (Holm-adjusted exact Wilcoxon), the
 * BH q, the rank-biserial r and the songs behind it.
 * @example
 * ```ts
 * et.showTable(et.pairedComparisonRecords(extended), { title: "Paired mode comparisons" });
 * ```
 */
export function pairedComparisonRecords(extended: Pick<ExtendedResults, 'paired'>): ResultRecord[] {
  return extended.paired
    .filter((p) => p.comparison.n > 0)
    .map((p) => {
      const ratio = isRatio(p.metric);
      const scale = ratio ? 100 : 1;
      const diff = ratio ? 'difference_pp' : 'difference';
      const d = p.comparison.difference;
      const t = reportedTest(p.comparison);
      const rec: ResultRecord = {
        model: p.model,
        metric: metricLabel(p.metric),
        comparison: `${p.a} vs ${p.b}`,
        better: betterMode(p.a, p.b, t.verdict, metricDirection(p.metric)),
        // Both keys on every record (one empty), so the two difference columns stand side by side, next to
        // the verdict they support.
        difference_pp: null,
        difference: null,
        [diff]: d.estimate * scale,
        p: formatP(t.p),
        cells: p.comparison.n,
        test: t.test,
      };
      if (Number.isFinite(d.lower) && Number.isFinite(d.upper)) rec[`${diff}_ci`] = [d.lower * scale, d.upper * scale];
      const c = p.comparison as Partial<typeof p.comparison>;
      if (c.q_value !== undefined) rec['q_bh'] = formatP(c.q_value, 'q');
      if (c.effect_size) rec['rank_biserial'] = c.effect_size.rank_biserial;
      if (p.n_songs !== undefined) rec['n_songs'] = p.n_songs;
      if (p.n_distinct !== undefined) rec['n_distinct'] = p.n_distinct;
      return rec;
    });
}
