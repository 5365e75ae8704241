/**
 * Reference marks for the adherence chart: the chance level (a random answer: 1/4 for the emotion quadrant, 1/24
 * for the exact key) and the ceiling (the same classifier or key method on real music with known labels), drawn as
 * a short labelled line across each bar they apply to. The values are the ones the reference tables show.
 */

/** The parts of the reference block (`attachReference`, `extended.reference`) the marks read. */
export interface ReferenceLike {
  floor?: { emotion_chance?: number; key_exact_chance?: number } | null;
  ceiling?: {
    emotion?: { overall?: { estimate?: number } | null } | null;
    key?: { methods?: ReadonlyArray<{ method?: string; accuracy?: { estimate?: number } }> } | null;
  } | null;
}

export interface ReferenceLevel {
  /** Share in [0, 1] a random answer gets. */
  chance?: number;
  /** Share in [0, 1] real music with known labels gets from the same measurement. */
  ceiling?: number;
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function level(chance: unknown, ceiling: unknown): ReferenceLevel | undefined {
  const out: ReferenceLevel = {};
  const a = finite(chance);
  const b = finite(ceiling);
  if (a !== undefined) out.chance = a;
  if (b !== undefined) out.ceiling = b;
  return a === undefined && b === undefined ? undefined : out;
}

/**
 * Chance and ceiling per adherence metric, from the reference block: emotion (4 quadrants) with both, key with
 * the seed's method and with the recommended one at chance only.
 */
export function referenceLevels(ref: ReferenceLike | null | undefined): Record<string, ReferenceLevel> {
  const out: Record<string, ReferenceLevel> = {};
  if (!ref) return out;
  const entries: Array<[string, ReferenceLevel | undefined]> = [
    ['emotion_adherence', level(ref.floor?.emotion_chance, ref.ceiling?.emotion?.overall?.estimate)],
    // Key: chance only. The key finder's accuracy on pieces with known keys is measured on another population
    // than the generated songs (which can score above it): the tables show it, labelled as such, not as a ceiling.
    ['key_adherence', level(ref.floor?.key_exact_chance, undefined)],
    ['key_adherence_best', level(ref.floor?.key_exact_chance, undefined)],
  ];
  for (const [metric, l] of entries) if (l) out[metric] = l;
  return out;
}

/** The marks' names: legend entries and shape names (the extension gives both the theme's text colour). */
export const REFERENCE_MARKS = {
  chance: { name: 'chance level (random answer)', dash: 'dot' },
  ceiling: { name: 'real music (ceiling)', dash: 'solid' },
  // Per bar, from the records (`<metric>_floor`): the same songs scored against shuffled requests.
  floor: { name: 'floor (same songs, requests shuffled)', dash: 'dash' },
} as const;

/** The SVG dash pattern of a mark (the fallback chart and its legend), as plotly's `dash` draws it. */
export const MARK_SVG_DASH: Record<keyof typeof REFERENCE_MARKS, string> = {
  chance: ' stroke-dasharray="2 3"',
  ceiling: '',
  floor: ' stroke-dasharray="6 3"',
};

/** Neutral grey where no theme colours the marks (readable on light and dark backgrounds). */
export const REFERENCE_COLOR = '#8c8c8c';

/**
 * Plotly shapes for grouped bars (bargap 0.2, no group gap): a line across bar `trace` of `traces` at category
 * index `cat`, at `value` percent.
 */
export function referenceShape(
  kind: keyof typeof REFERENCE_MARKS,
  cat: number,
  trace: number,
  traces: number,
  value: number,
): Record<string, unknown> {
  const w = 0.8 / Math.max(1, traces);
  const x0 = cat - 0.4 + trace * w;
  return {
    type: 'line',
    name: `reference:${kind}`,
    xref: 'x',
    yref: 'y',
    x0,
    x1: x0 + w,
    y0: value,
    y1: value,
    line: { color: REFERENCE_COLOR, width: 3, dash: REFERENCE_MARKS[kind].dash },
    layer: 'above',
  };
}

/** Legend-only traces naming the marks drawn (no data: a line sample in the legend). */
export function referenceLegendTraces(
  kinds: ReadonlyArray<keyof typeof REFERENCE_MARKS>,
): Array<Record<string, unknown>> {
  // In one order whatever bar came first: chance, ceiling, floor.
  const ordered = (Object.keys(REFERENCE_MARKS) as Array<keyof typeof REFERENCE_MARKS>).filter((k) =>
    kinds.includes(k),
  );
  return ordered.map((kind) => ({
    type: 'scatter',
    mode: 'lines',
    x: [null],
    y: [null],
    name: REFERENCE_MARKS[kind].name,
    line: { color: REFERENCE_COLOR, width: 3, dash: REFERENCE_MARKS[kind].dash },
    hoverinfo: 'skip',
    meta: { emotune: 'reference-legend', kind },
  }));
}
