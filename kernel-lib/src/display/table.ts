/** Result rows (or comparison rows) to a table bundle: emotune table JSON, a static HTML table, aligned text. */
import { EmotuneError, describeValue } from '../errors.js';
import { escapeHtml } from './escape.js';
import {
  NUMBER_FORMATS,
  adherenceEmptyNote,
  emptyCellNotes,
  formatCell,
  formatInterval,
  heatColor,
  isEmptyCell,
  pad,
} from './format.js';
import { TABLE_MIME } from './types.js';
import type { CellValue, MimeBundle, ResultRecord, RowDetail, TableColumn, TablePayloadV1, TableRow } from './types.js';
import { EXTENDED_DEFINITIONS } from '../aggregate/extended-results.js';

export interface TableOptions {
  title?: string;
  /** Columns to show, in order: a key, or a key with overrides. Default: every field, in first-seen order. */
  columns?: Array<string | (Partial<TableColumn> & { key: string })>;
  /** Column keys offered as filters; default `model` and `mode` where present. */
  filters?: string[];
  /** Header tooltips by column key, added to the built-in metric definitions. */
  descriptions?: Record<string, string>;
  /** Columns kept in view when scrolling sideways; default `model` and `mode` where present. */
  pinned?: string[];
  /** What a click on each row shows (same order as the records). */
  details?: ReadonlyArray<RowDetail | undefined>;
}

/**
 * What each column measures, for the header tooltips: the extended results' definitions (by exact key or by the
 * `<token>_...` pattern) and the reference notebook's row fields.
 */
export function columnDescription(key: string): string | undefined {
  const rowFields: Record<string, string> = {
    model: 'generator model (checkpoint)',
    mode: 'generation mode: deterministic (greedy), primed (sampling steered toward the condition), forced (the condition imposed at every note)',
    emotion: 'requested emotion quadrant (1 happy, 2 tense, 3 sad, 4 calm)',
    key: 'requested key (key-aware models only)',
    subset: 'the conditioned tokens of this row',
    adherence: 'mean adherence ratio over the rows: steps equal to the conditioned value / all steps',
    distance: 'mean |generated - conditioned| over steps with a numeric value (lower is better)',
    correlation: 'key: mean Krumhansl-Kessler correlation of the requested key (higher is better)',
    emotion_adherence: 'files whose detected quadrant equals the requested emotion / files classified',
    key_adherence: 'files whose detected key equals the requested key / files',
    key_correlation: 'mean Krumhansl-Kessler correlation of the requested key',
    cells: 'grid cells (emotion, key, condition) pooled or paired',
    emotion_adherence_floor:
      "label-shuffled floor: the same songs scored against the requested quadrants permuted among the mode's songs (the mean of at least 1000 seeded permutations); what a generator ignoring the emotion would score",
    key_adherence_floor:
      "label-shuffled floor: the same songs scored against the requested keys permuted among the mode's songs (the mean of at least 1000 seeded permutations)",
    key_adherence_best_floor: 'as key adherence floor, with the recommended key method',
    adherence_floor:
      'label-shuffled floor: the same songs, each scored against the value another song of its grid cell was asked for (mean of the permutations, their 95% range under it); what a generator ignoring the condition would score',
    above_floor_pp: 'the figure minus its floor, in percentage points',
    reading:
      'above its floor: the figure exceeds what the same songs score against shuffled requests (Holm-adjusted p < .05)',
    figure: "which figure: all steps (the reference notebook's ratio) or note steps only",
    figures_on_fewer_songs:
      "figures of this mode that rest on fewer songs than n songs: a token's figures count only the runs conditioned on that token; a measure undefined for a song leaves it out",
    difference_pp:
      'mean paired difference a − b over grid cells, in percentage points, with an unadjusted 95% bootstrap interval (p and the verdict are adjusted for every test)',
    difference:
      'mean paired difference a − b over grid cells, with an unadjusted 95% bootstrap interval (p and the verdict are adjusted for every test)',
    rows: 'result rows averaged',
  };
  if (rowFields[key]) return rowFields[key];
  if (EXTENDED_DEFINITIONS[key]) return EXTENDED_DEFINITIONS[key];
  // The longest suffix first: `_note_adherence` must not be read as `_adherence` of a token named `duration_note`.
  const tokenPatterns = Object.entries(EXTENDED_DEFINITIONS)
    .filter(([pattern]) => pattern.startsWith('<token>'))
    .map(([pattern, text]) => [pattern.slice('<token>'.length), text] as const)
    .sort((a, b) => b[0].length - a[0].length);
  for (const [suffix, text] of tokenPatterns)
    if (key.endsWith(suffix) && key.length > suffix.length) return `${key.slice(0, -suffix.length)}: ${text}`;
  const m = /^(.+)_(adherence|distance)$/.exec(key);
  if (m)
    return m[2] === 'adherence'
      ? `${m[1]}: steps equal to the conditioned value / all steps (the reference notebook's ratio)`
      : `${m[1]}: mean |generated - conditioned| (lower is better)`;
  return undefined;
}

const CI_SUFFIX = '_ci';

/** Headers that the key with spaces would garble. */
const LABELS: Record<string, string> = { q_bh: 'q (BH)', rank_biserial: 'rank-biserial r' };

/**
 * A column's kind from its key and values, in the one number format of that kind (display/format.ts): shares in
 * percent, differences of shares in signed percentage points, scores as 0.xx, distances, counts, other values.
 */
function inferColumn(key: string, values: unknown[]): TableColumn {
  const present = values.filter((v) => v !== null && v !== undefined);
  const adherence = key.endsWith('_adherence') || key.endsWith('_adherence_best') || key === 'adherence';
  const floor = key === 'adherence_floor' || key.endsWith('_adherence_floor');
  // An adherence (or floor) column with no value at all is still a number column: its cells read `–`, explained.
  const numeric = present.every((v) => typeof v === 'number') && (present.length > 0 || adherence || floor);
  const label = LABELS[key] ?? key.replace(/_/g, ' ');
  if (!numeric) return { key, label, kind: 'text' };
  const number = (format: TableColumn['format'], extra: Partial<TableColumn> = {}): TableColumn => ({
    key,
    label,
    kind: 'number',
    format,
    ...extra,
  });
  // A floor is a share too, but no result: no heat colour, no better direction.
  if (floor)
    return number(NUMBER_FORMATS.percent, {
      emptyNote:
        'no floor: the figure is not measured, no grid cell asked for two of its values (nothing to shuffle), or the floor rests on other songs than the figure (an incomplete grid: see the token floor table)',
    });
  if (adherence) {
    // Shares of one or two songs (only 0, 50 or 100%) get no heat colour: it would make them look certain.
    const coarse = present.length > 2 && present.every((v) => v === 0 || v === 0.5 || v === 1);
    return number(NUMBER_FORMATS.percent, { heat: !coarse, better: 'up', emptyNote: adherenceEmptyNote(key) });
  }
  if (key === 'difference_pp' || key.endsWith('_pp'))
    return number(NUMBER_FORMATS.points, { label: label.replace(/ pp$/, ' (pp)') });
  if (key === 'difference' || key.startsWith('difference_')) return number(NUMBER_FORMATS.signedValue);
  if (key.endsWith('_correlation') || key === 'correlation' || /(_mirex|_mirex_best)$/.test(key))
    return number(NUMBER_FORMATS.score, { better: 'up' });
  if (/(^|_)(kappa|rank_biserial|score)$/.test(key)) return number(NUMBER_FORMATS.score);
  if (key.endsWith('_distance') || key === 'distance') return number(NUMBER_FORMATS.distance, { better: 'down' });
  const integers = present.every((v) => Number.isInteger(v));
  return number(integers ? NUMBER_FORMATS.count : NUMBER_FORMATS.value);
}

function toCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function readInterval(value: unknown, field: string): [number, number] {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return [value[0] as number, value[1] as number];
  }
  throw new EmotuneError('bad confidence interval', {
    field,
    expected: 'an array [lo, hi] of two finite numbers',
    found: describeValue(value),
    code: 'display.interval',
  });
}

/** Build the versioned table payload from generic records; `*_ci: [lo, hi]` fields become intervals of their base column. */
export function tablePayload(records: readonly ResultRecord[], options: TableOptions = {}): TablePayloadV1 {
  if (!Array.isArray(records)) {
    throw new EmotuneError('cannot show a table', {
      field: 'rows',
      expected: 'an array of records',
      found: describeValue(records),
      code: 'display.rows',
    });
  }
  const seen: string[] = [];
  records.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new EmotuneError('cannot show a table', {
        field: `rows[${i}]`,
        expected: 'an object',
        found: describeValue(r),
        code: 'display.rows',
      });
    }
    for (const k of Object.keys(r)) if (!k.endsWith(CI_SUFFIX) && !seen.includes(k)) seen.push(k);
  });
  const wanted = options.columns ?? seen;
  const pinned = new Set(options.pinned ?? ['model', 'mode']);
  const columns: TableColumn[] = wanted.map((c) => {
    const spec = typeof c === 'string' ? { key: c } : c;
    const col = {
      ...inferColumn(
        spec.key,
        records.map((r) => r[spec.key]),
      ),
      ...spec,
    } as TableColumn;
    const description = options.descriptions?.[spec.key] ?? columnDescription(spec.key);
    if (description !== undefined && col.description === undefined) col.description = description;
    if (pinned.has(spec.key) && col.pinned === undefined) col.pinned = true;
    return col;
  });
  const rows: TableRow[] = records.map((r, i) => {
    const values: Record<string, CellValue> = {};
    const intervals: Record<string, [number, number]> = {};
    for (const col of columns) {
      values[col.key] = toCell(r[col.key]);
      const ci = r[col.key + CI_SUFFIX];
      if (ci !== undefined && ci !== null) intervals[col.key] = readInterval(ci, `rows[${i}].${col.key}${CI_SUFFIX}`);
    }
    const row: TableRow = Object.keys(intervals).length > 0 ? { values, intervals } : { values };
    const detail = options.details?.[i];
    if (detail) row.detail = detail;
    return row;
  });
  const keys = columns.map((c) => c.key);
  const filters = (options.filters ?? ['model', 'mode']).filter((k) => keys.includes(k));
  const payload: TablePayloadV1 = { version: 1, columns, rows, filters };
  if (options.title !== undefined) payload.title = options.title;
  return payload;
}

/** The better direction in words, so it cannot be mistaken for a sort arrow. */
function headerText(col: TableColumn): string {
  return col.better === 'up'
    ? `${col.label} (higher better)`
    : col.better === 'down'
      ? `${col.label} (lower better)`
      : col.label;
}

/** A static HTML table (no script): readable on GitHub, in nbconvert and where the extension is absent. */
export function tableHtml(payload: TablePayloadV1): string {
  const head = payload.columns
    .map(
      (c) =>
        `<th style="text-align:${c.kind === 'number' ? 'right' : 'left'};position:sticky;top:0;background:inherit"${c.description !== undefined ? ` title="${escapeHtml(c.description)}"` : ''}>${escapeHtml(headerText(c))}</th>`,
    )
    .join('');
  const body = payload.rows
    .map((row) => {
      const cells = payload.columns.map((c) => {
        const v = row.values[c.key];
        const text = escapeHtml(formatCell(v, c));
        const ci = row.intervals?.[c.key];
        const ciText = ci ? ` <small>${escapeHtml(formatInterval(ci, c.format))}</small>` : '';
        const bg = c.heat && typeof v === 'number' ? `;background:${heatColor(v)};color:#111` : '';
        const why = isEmptyCell(v) && c.emptyNote !== undefined ? ` title="${escapeHtml(c.emptyNote)}"` : '';
        return `<td style="text-align:${c.kind === 'number' ? 'right' : 'left'}${bg}"${why}>${text}${ciText}</td>`;
      });
      return `<tr class="emotune-row">${cells.join('')}</tr>`;
    })
    .join('\n');
  const caption = payload.title !== undefined ? `<caption>${escapeHtml(payload.title)}</caption>` : '';
  // Wide and long tables scroll inside their own box (the page does not scroll sideways), header kept in view.
  const notes = emptyCellNotes(payload.columns, payload.rows)
    .map((n) => `<p class="emotune-table-note" style="font-size:smaller;margin:2px 0">– = ${escapeHtml(n)}</p>`)
    .join('');
  return `<div class="emotune-table-box" style="max-width:100%;max-height:560px;overflow:auto"><table class="emotune-table" data-emotune-rows="${payload.rows.length}">${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>${notes}`;
}

/** Aligned plain text: numbers right-aligned, intervals in brackets. */
export function tableText(payload: TablePayloadV1): string {
  const header = payload.columns.map(headerText);
  const lines = payload.rows.map((row) =>
    payload.columns.map((c) => {
      const ci = row.intervals?.[c.key];
      const base = formatCell(row.values[c.key], c);
      return ci ? `${base} ${formatInterval(ci, c.format)}` : base;
    }),
  );
  const widths = header.map((h, i) => Math.max([...h].length, ...lines.map((l) => [...(l[i] ?? '')].length)));
  const right = payload.columns.map((c) => c.kind === 'number');
  const fmt = (cells: string[]): string =>
    cells
      .map((t, i) => pad(t, widths[i] ?? 0, right[i] ?? false))
      .join(' | ')
      .trimEnd();
  const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...lines.map(fmt)];
  if (payload.title !== undefined) out.unshift(payload.title);
  return out.join('\n');
}

/** The full bundle for a table of records. */
export function tableBundle(records: readonly ResultRecord[], options: TableOptions = {}): MimeBundle {
  const payload = tablePayload(records, options);
  return {
    data: { [TABLE_MIME]: payload, 'text/html': tableHtml(payload), 'text/plain': tableText(payload) },
    metadata: {},
  };
}
