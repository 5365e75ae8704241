/** Pure table logic: payload validation, sorting, filtering, formatting and CSV/Markdown export. */
import { PayloadError, TABLE_MIME, isRecord } from '../mime.js';

// The payload schema is kernel-lib's (the producer); a type-only import, erased from the browser bundle.
import type { CellValue, TableColumn, TablePayloadV1, TableRow } from '@emotune/kernel-lib/display-types';
// Number formats: kernel-lib's one home for them (a pure module, bundled into the extension).
import { emptyCellNotes, formatCell, formatInterval } from '@emotune/kernel-lib/display-format';
export type { CellValue, TableColumn, TableRow };
export type TablePayload = TablePayloadV1;

export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: string;
  dir: SortDir;
}

/** Check the shape before drawing; the message names the field that is wrong. */
export function parseTablePayload(data: unknown): TablePayload {
  if (!isRecord(data)) throw new PayloadError(TABLE_MIME, '(payload)', 'an object');
  if (data['version'] !== 1)
    throw new PayloadError(TABLE_MIME, 'version', `1 (found ${JSON.stringify(data['version'])})`);
  const columns = data['columns'];
  if (!Array.isArray(columns) || !columns.every((c) => isRecord(c) && typeof c['key'] === 'string')) {
    throw new PayloadError(TABLE_MIME, 'columns', 'an array of {key, label, kind}');
  }
  const rows = data['rows'];
  if (!Array.isArray(rows) || !rows.every((r) => isRecord(r) && isRecord(r['values']))) {
    throw new PayloadError(TABLE_MIME, 'rows', 'an array of {values, intervals?}');
  }
  const filters = Array.isArray(data['filters'])
    ? (data['filters'] as unknown[]).filter((f): f is string => typeof f === 'string')
    : [];
  const cols = (columns as Record<string, unknown>[]).map((c) => ({
    ...(c as unknown as TableColumn),
    label: typeof c['label'] === 'string' ? c['label'] : String(c['key']),
    kind: c['kind'] === 'number' ? 'number' : 'text',
    emptyNote: typeof c['emptyNote'] === 'string' ? c['emptyNote'] : undefined,
  })) as TableColumn[];
  const payload: TablePayload = { version: 1, columns: cols, rows: rows as TableRow[], filters };
  if (typeof data['title'] === 'string') payload.title = data['title'];
  return payload;
}

/** A cell as the library's fallbacks write it: one number format per kind, from kernel-lib's one home for it. */
export function formatValue(value: CellValue | undefined, column: TableColumn): string {
  return formatCell(value, column);
}

/** An interval in its column's format: `[40.5%, 53.0%]`. */
export function formatCi(ci: readonly [number, number], column: TableColumn): string {
  return formatInterval(ci, column.format);
}

/** The header as text (CSV/Markdown): the better direction in words, so it is not read as a sort arrow. */
export function headerLabel(column: TableColumn): string {
  return column.better === 'up'
    ? `${column.label} (higher better)`
    : column.better === 'down'
      ? `${column.label} (lower better)`
      : column.label;
}

/** The header's tooltip: what the column measures, which way is better, and that a click sorts. */
export function headerTooltip(column: TableColumn): string {
  const parts = [column.description ?? column.label];
  if (column.better) parts.push(column.better === 'up' ? 'Higher is better.' : 'Lower is better.');
  parts.push('Click to sort.');
  return parts.join('\n');
}

/** Stable sort; empty cells always last, numbers numerically, text in natural order. */
export function sortRows(rows: readonly TableRow[], sort: SortState | null): TableRow[] {
  const indexed = rows.map((r, i) => ({ r, i }));
  if (!sort) return rows.slice();
  const sign = sort.dir === 'asc' ? 1 : -1;
  indexed.sort((a, b) => {
    const va = a.r.values[sort.key];
    const vb = b.r.values[sort.key];
    const ea = va === null || va === undefined;
    const eb = vb === null || vb === undefined;
    if (ea || eb) return ea === eb ? a.i - b.i : ea ? 1 : -1;
    let c: number;
    if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
    else c = String(va).localeCompare(String(vb), undefined, { numeric: true });
    return c !== 0 ? sign * c : a.i - b.i;
  });
  return indexed.map((x) => x.r);
}

/** Next sort state after a click on a header: ascending, then descending, then off. */
export function nextSort(current: SortState | null, key: string): SortState | null {
  if (!current || current.key !== key) return { key, dir: 'asc' };
  return current.dir === 'asc' ? { key, dir: 'desc' } : null;
}

/** Keep rows whose filtered columns equal the chosen value ('' or absent = any). */
export function filterRows(rows: readonly TableRow[], filters: Record<string, string>): TableRow[] {
  const active = Object.entries(filters).filter(([, v]) => v !== '');
  return rows.filter((r) => active.every(([k, v]) => String(r.values[k] ?? '') === v));
}

/** Distinct values of a column, in first-seen order (filter choices). */
export function distinctValues(rows: readonly TableRow[], key: string): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const v = r.values[key];
    if (v === null || v === undefined) continue;
    const s = String(v);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

function cellWithInterval(row: TableRow, col: TableColumn): string {
  const base = formatValue(row.values[col.key], col);
  const ci = row.intervals?.[col.key];
  return ci ? `${base} ${formatCi(ci, col)}` : base;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV of the shown rows with raw numbers (full precision) and interval columns `<key>_lo`, `<key>_hi`. */
export function toCsv(columns: readonly TableColumn[], rows: readonly TableRow[]): string {
  const withCi = columns.filter((c) => rows.some((r) => r.intervals?.[c.key]));
  const header = [...columns.map((c) => c.key), ...withCi.flatMap((c) => [`${c.key}_lo`, `${c.key}_hi`])];
  const lines = rows.map((r) => {
    const cells = columns.map((c) => {
      const v = r.values[c.key];
      return v === null || v === undefined ? '' : String(v);
    });
    for (const c of withCi) {
      const ci = r.intervals?.[c.key];
      cells.push(ci ? String(ci[0]) : '', ci ? String(ci[1]) : '');
    }
    return cells.map(csvField).join(',');
  });
  return [header.map(csvField).join(','), ...lines].join('\n') + '\n';
}

function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Markdown table of the shown rows, formatted as on screen, with what its `–` cells mean under it (as on screen). */
export function toMarkdown(columns: readonly TableColumn[], rows: readonly TableRow[]): string {
  const head = `| ${columns.map((c) => mdCell(headerLabel(c))).join(' | ')} |`;
  const rule = `| ${columns.map((c) => (c.kind === 'number' ? '---:' : '---')).join(' | ')} |`;
  const body = rows.map((r) => `| ${columns.map((c) => mdCell(cellWithInterval(r, c))).join(' | ')} |`);
  const notes = emptyCellNotes(columns, rows).map((n) => `– = ${n}`);
  return [head, rule, ...body, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n') + '\n';
}

/** Adherence in [0, 1] to a translucent red→green background that reads on light and dark themes. */
export function heatBackground(value: number): string {
  const v = Math.min(1, Math.max(0, value));
  return `hsla(${Math.round(v * 120)}, 75%, 50%, 0.35)`;
}
