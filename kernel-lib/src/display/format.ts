/** Number formatting shared by the HTML, plain-text and SVG fallbacks (the extension formats the same way). */
import type { TableColumn } from './types.js';

export function formatNumber(value: number, format: TableColumn['format']): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = format?.digits ?? 2;
  return format?.percent ? `${(value * 100).toFixed(digits)}%` : value.toFixed(digits);
}

export function formatCell(value: unknown, column: TableColumn): string {
  if (value === null || value === undefined) return '';
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
