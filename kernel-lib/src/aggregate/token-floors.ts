import type { NoteAdherence } from '../metrics/note-adherence.js';
import {
  adjustPermutationTests,
  floorPermutations,
  permutationTest,
  shuffleableStrata,
  type PermutationInput,
  type PermutationSummary,
} from '../stats/permutation.js';
import type { ExtendedRunInput } from './extended-results.js';

/**
 * The floor of a token figure (pure): what the same songs score when each is measured against the value another
 * song of its grid cell was asked for. A generator that ignored the token's condition scores this floor; a token
 * value common in every song (a short duration, a middle velocity) raises it far above 1 / (values asked).
 * Requests are shuffled only among songs that share everything else they were asked for (emotion, key, the
 * other tokens' values), so a floor never mixes in what those conditions do.
 */

export interface TokenFloor extends PermutationSummary {
  /**
   * The figure over the same songs (pooled as the figure is): compare with `mean`. The mode's figure itself when
   * every cell holds two requested values or more (a complete grid); else the figure over the cells that do.
   */
  observed: number;
  /** Holm-adjusted over every token floor of the results file. */
  p_adjusted: number;
  permutations: number;
  seed: number;
  /** Token files the shuffle moves requests among, and the grid cells where it can (two values asked or more). */
  songs: number;
  cells: number;
  /**
   * The smallest Holm-adjusted p this test could reach (adjustPermutationTests): at .05 or above, too few songs per grid
   * cell for the figure ever to be shown above its floor.
   */
  min_p_adjusted: number;
}

/** One token file's side of a token figure: the value it was asked for and its counts at every value. */
interface TokenItem {
  stratum: string;
  target: number;
  note: NoteAdherence;
}

/** The figure's count of steps at `value` and its denominator, for the all-steps and the note-steps ratio. */
const FIGURES = {
  adherence: {
    count: (t: NoteAdherence, value: number) =>
      (t.histogram.find((h) => h.index === value)?.count ?? 0) +
      (t.otherSteps.find((h) => h.index === value)?.count ?? 0),
    total: (t: NoteAdherence) => t.allSteps.total,
  },
  note_adherence: {
    count: (t: NoteAdherence, value: number) => t.histogram.find((h) => h.index === value)?.count ?? 0,
    total: (t: NoteAdherence) => t.noteSteps,
  },
} as const;

/** The grid cell of a run without one token's value: where that token's requests may be exchanged. */
function stratumOf(run: ExtendedRunInput['run'], token: string): string {
  const others = Object.entries(run.conditions ?? {})
    .filter(([k]) => k !== token)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return JSON.stringify([run.emotion, run.key ?? null, run.subset, others]);
}

/**
 * The permutation input of one token figure over the songs of the grid cells that hold two requested values or more,
 * or null when no cell does. A song alone with its value in its cell cannot be scored against another request:
 * kept at its own score it would pull the floor towards the figure (an incomplete grid would look less obedient).
 */
function permutationInput(items: readonly TokenItem[], figure: keyof typeof FIGURES): PermutationInput | null {
  const { count, total } = FIGURES[figure];
  const measured = items.filter((it) => total(it.note) > 0);
  const valuesOf = new Map<string, Set<number>>();
  for (const it of measured) valuesOf.set(it.stratum, (valuesOf.get(it.stratum) ?? new Set<number>()).add(it.target));
  const kept = measured.filter((it) => valuesOf.get(it.stratum)!.size > 1);
  if (kept.length === 0) return null;
  const n = kept.length;
  const values = [...new Set(kept.map((it) => it.target))];
  const strataIds = new Map<string, number>();
  const stratumId = (key: string) => strataIds.get(key) ?? strataIds.set(key, strataIds.size).size - 1;
  const input = {
    strata: Int32Array.from(kept, (it) => stratumId(it.stratum)),
    labels: Int32Array.from(kept, (it) => values.indexOf(it.target)),
    labelCount: values.length,
    numerators: new Float64Array(values.length * n),
    denominators: Float64Array.from(kept, (it) => total(it.note)),
  };
  values.forEach((v, label) => kept.forEach((it, i) => (input.numerators[label * n + i] = count(it.note, v))));
  return input;
}

/**
 * Per (model, mode) key (`JSON.stringify([model, mode])`), the floor of every `<token>_adherence` and
 * `<token>_note_adherence` figure with something to shuffle, p Holm-adjusted over all of them.
 */
export function tokenFloors(
  inputs: readonly ExtendedRunInput[],
  options: { permutations?: number; seed: number },
): Map<string, Record<string, TokenFloor>> {
  const byModeToken = new Map<string, TokenItem[]>();
  for (const r of inputs) {
    for (const f of r.tokenFiles) {
      for (const t of f.note) {
        const key = JSON.stringify([r.run.model, r.run.mode, t.token]);
        const list = byModeToken.get(key) ?? [];
        list.push({ stratum: stratumOf(r.run, t.token), target: t.targetIndex, note: t });
        byModeToken.set(key, list);
      }
    }
  }
  const family: Array<{ mode: string; metric: string; input: PermutationInput }> = [];
  for (const [key, items] of byModeToken) {
    const [model, mode, token] = JSON.parse(key) as [string, string, string];
    for (const figure of Object.keys(FIGURES) as Array<keyof typeof FIGURES>) {
      const input = permutationInput(items, figure);
      if (input) family.push({ mode: JSON.stringify([model, mode]), metric: `${token}_${figure}`, input });
    }
  }
  const permutations = options.permutations ?? floorPermutations(family.length);
  const tests = family.map(({ input }) => permutationTest(input, permutations, options.seed));
  const adjusted = adjustPermutationTests(tests);
  const out = new Map<string, Record<string, TokenFloor>>();
  family.forEach((f, i) => {
    const { mean, lower, upper, p, observed } = tests[i]!;
    const floors = out.get(f.mode) ?? {};
    floors[f.metric] = {
      mean,
      lower,
      upper,
      p,
      observed,
      permutations,
      seed: options.seed,
      songs: f.input.labels.length,
      cells: shuffleableStrata(f.input),
      min_p_adjusted: adjusted[i]!.min_p_adjusted,
      p_adjusted: adjusted[i]!.p_adjusted,
    };
    out.set(f.mode, floors);
  });
  return out;
}
