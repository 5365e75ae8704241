/**
 * The reference notebook's comparison table (rows averaged per model and mode, one line per token) as records, so it
 * shows as a sortable, filterable table instead of fixed-width text. Same grouping as aggregate's text table.
 */
import { groupByModelMode } from '../aggregate/comparison-table.js';
import type { ResultRow } from '../aggregate/rows.js';
import { tableBundle } from './table.js';
import { publishDisplay } from './sink.js';
import type { MimeBundle, ResultRecord } from './types.js';
import { mean } from '../stats/bootstrap.js';

export interface ComparisonOptions {
  /** Order of models / modes / tokens; default: as first seen in the rows. */
  models?: readonly string[];
  modes?: readonly string[];
  tokensOfInterest?: readonly string[];
  /** Models that condition on a key; others get no key line (the reference notebook skips it for `pretrained`). */
  keyAwareModels?: readonly string[];
  title?: string;
}

/** Mean, null for no values (an empty cell shows as missing). */
function meanOrNull(xs: readonly number[]): number | null {
  return xs.length ? mean(xs) : null;
}

function firstSeen(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/**
 * One record per (model, mode, token): `adherence` (mean ratio), `distance` (mean, tokens with numeric
 * labels) or `correlation` (key: mean correlation of the requested key, higher is better), `rows` (how many
 * result rows were averaged).
 */
export function comparisonRecords(rows: readonly ResultRow[], options: ComparisonOptions = {}): ResultRecord[] {
  const groups = groupByModelMode(rows);
  const models = options.models ?? firstSeen(rows.map((r) => r.model));
  const modes = options.modes ?? firstSeen(rows.map((r) => r.mode));
  const seenTokens = firstSeen([...groups.values()].flatMap((m) => [...m.keys()]));
  const tokens = options.tokensOfInterest ? firstSeen([...options.tokensOfInterest, 'emotion', 'key']) : seenTokens;
  const keyAware = options.keyAwareModels ? new Set(options.keyAwareModels) : undefined;
  const out: ResultRecord[] = [];
  for (const model of models) {
    const skipKey = model === 'pretrained' || (keyAware !== undefined && !keyAware.has(model));
    for (const mode of modes) {
      const byToken = groups.get(JSON.stringify([model, mode]));
      if (!byToken) continue;
      const n = rows.filter((r) => r.model === model && r.mode === mode).length;
      for (const token of tokens) {
        const f = byToken.get(token);
        if (!f || (token === 'key' && skipKey)) continue;
        out.push({
          model,
          mode,
          token,
          adherence: meanOrNull(f.adherence) ?? 0,
          distance: token === 'key' ? null : meanOrNull(f.distance),
          correlation: token === 'key' ? meanOrNull(f.distance) : null,
          rows: n,
        });
      }
    }
  }
  return out;
}

export function comparisonBundle(rows: readonly ResultRow[], options: ComparisonOptions = {}): MimeBundle {
  return tableBundle(comparisonRecords(rows, options), {
    title: options.title ?? 'Adherence comparison by mode (average across emotions and conditions)',
    columns: ['model', 'mode', 'token', 'adherence', { key: 'distance', label: 'avg distance' }, 'correlation', 'rows'],
    filters: ['model', 'mode', 'token'],
  });
}

/**
 * The comparison table (`formatComparisonTable`) as a sortable, filterable table: one row per model, mode and token.
 * @example
 * ```ts
 * et.showComparison(analysis.rows, { modes: config.modes, tokensOfInterest: config.tokens_of_interest });
 * ```
 */
export function showComparison(rows: readonly ResultRow[], options: ComparisonOptions = {}): void {
  publishDisplay(comparisonBundle(rows, options));
}
