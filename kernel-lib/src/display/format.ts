/**
 * Number formatting, the one home for every table: the library's HTML, plain-text and SVG fallbacks, the
 * extension's table (it imports this module through `@emotune/kernel-lib/display-format`) and the report.
 * Pure: no Node imports, so the browser bundle can take it.
 */
import type { TableColumn, TableRow } from './types.js';

export type NumberFormat = NonNullable<TableColumn['format']>;

/**
 * One format per kind of number. Shares (adherence, agreement) in percent with one decimal, their intervals
 * alike; differences of shares in signed percentage points; counts as integers; scores in [-1, 1] (kappa, MIREX,
 * correlation, rank-biserial) as 0.xx; distances with two decimals; other measurements with three.
 * p-values are text (`formatP`).
 */
export const NUMBER_FORMATS = {
  percent: { digits: 1, percent: true },
  /** Percentage points: the column's header says `(pp)`. */
  points: { digits: 1, signed: true },
  count: { digits: 0 },
  score: { digits: 2 },
  distance: { digits: 2 },
  value: { digits: 3 },
  signedValue: { digits: 3, signed: true },
} as const satisfies Record<string, NumberFormat>;

export function formatNumber(value: number, format: TableColumn['format']): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = format?.digits ?? 2;
  let text = (format?.percent ? value * 100 : value).toFixed(digits);
  if (/^-0(\.0*)?$/.test(text)) text = text.slice(1); // no "-0.0"
  if (format?.signed && Number(text) > 0) text = `+${text}`;
  return format?.percent ? `${text}%` : text;
}

/** An interval `[lo, hi]` in its column's format. */
export function formatInterval(ci: readonly [number, number], format: TableColumn['format']): string {
  return `[${formatNumber(ci[0], format)}, ${formatNumber(ci[1], format)}]`;
}

/** `p < 0.001`, `p = 0.012`, `p = 0.43`: never `0.000`. */
export function formatP(p: number, name = 'p'): string {
  if (!Number.isFinite(p)) return '';
  if (p < 0.001) return `${name} < 0.001`;
  return `${name} = ${p < 0.1 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** A share in [0, 1] as text in the tables' percent format: `46.7%`. */
export function formatPercent(share: number): string {
  return formatNumber(share, NUMBER_FORMATS.percent);
}

/** A cell with no value: shown as `–` in a number column (see `TableColumn.emptyNote` for why it can be empty). */
export function isEmptyCell(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * Why an adherence cell can be empty: the figure was not measured for that row, which is not the same as 0%.
 * Forced runs set the token themselves (100% by construction, so the reference notebook leaves it out).
 */
export function adherenceEmptyNote(key: string): string {
  if (key.startsWith('emotion')) return 'not measured: emotion adherence needs an emotion classifier.';
  if (key.startsWith('key')) return 'not measured: key adherence needs a key condition (a key-aware model).';
  return 'not measured: token adherence is left out in forced mode (the token is set, so it would be 100% by construction).';
}

/**
 * The notes that explain the `–` cells among these rows (each once, in column order): shown under a table, so a
 * reader at a projector, who cannot hover, still learns that an empty cell means "not measured".
 */
export function emptyCellNotes(columns: readonly TableColumn[], rows: readonly TableRow[]): string[] {
  const notes: string[] = [];
  for (const c of columns) {
    if (c.kind !== 'number' || c.emptyNote === undefined || notes.includes(c.emptyNote)) continue;
    if (rows.some((r) => isEmptyCell(r.values[c.key]))) notes.push(c.emptyNote);
  }
  return notes;
}

/** A cell as text; a number column's empty cell (not measured, e.g. token adherence of forced runs) shows `–`. */
export function formatCell(value: unknown, column: TableColumn): string {
  if (isEmptyCell(value)) return column.kind === 'number' ? '–' : '';
  if (typeof value === 'number') return formatNumber(value, column.format);
  return String(value);
}

/** Adherence in [0, 1] to a background colour: red (0) through yellow to green (1), light enough for dark text. */
export function heatColor(value: number): string {
  const v = Math.min(1, Math.max(0, value));
  const hue = Math.round(v * 120);
  return `hsl(${hue}, 70%, 80%)`;
}

/** Viridis stops; the extension's plotly colour scale uses the same ones, so SVG and interactive rolls agree. */
const VIRIDIS: Array<[number, number, number]> = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/** Velocity 0..127 to a colour on the viridis ramp (linear between the five stops). */
export function velocityColor(velocity: number): string {
  const v = (Math.min(127, Math.max(0, Number.isFinite(velocity) ? velocity : 0)) / 127) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(v));
  const f = v - i;
  const a = VIRIDIS[i] as [number, number, number];
  const b = VIRIDIS[i + 1] as [number, number, number];
  const hex = (k: number): string =>
    Math.round(a[k]! + (b[k]! - a[k]!) * f)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(0)}${hex(1)}${hex(2)}`;
}

/** Pad text to a width, right-aligned for numbers (plain-text tables). */
export function pad(text: string, width: number, right: boolean): string {
  const n = Math.max(0, width - [...text].length);
  return right ? ' '.repeat(n) + text : text + ' '.repeat(n);
}
