import { npMean } from '../metrics/np-stats.js';
import { formatFixed, padLeft, padRight } from './py-format.js';
import type { ResultRow } from './rows.js';

/**
 * The reference notebook's DISPLAY RESULTS cell, character for character: rows averaged per (model, mode); per token
 * the adherence in percent and the mean distance, for `key` the mean correlation with an up arrow.
 *
 * The key row: the reference notebook skips it for the model literally named `pretrained`; docs/architecture.md says
 * "for models without keys". Both hold here: it is skipped when the model is named `pretrained` or, when
 * `keyAwareModels` is given, when the model is not in it. For the reference notebook's config (pretrained = the model
 * without keys) both readings give the same text, and a key-aware model named `pretrained` still prints as the
 * reference notebook would.
 */

export interface ComparisonTableOptions {
  /** Model names in config order (every one gets a header, even without rows). */
  models: readonly string[];
  /** Modes in config order. */
  modes: readonly string[];
  tokensOfInterest: readonly string[];
  /** Names of key-aware models; when given, other models never show a key row. */
  keyAwareModels?: readonly string[];
}

export interface ModeTokenFigures {
  adherence: number[];
  distance: number[];
}

/** The reference notebook's `mode_comparison`: (model, mode) -> token -> figures, in row order. */
export function groupByModelMode(rows: readonly ResultRow[]): Map<string, Map<string, ModeTokenFigures>> {
  const out = new Map<string, Map<string, ModeTokenFigures>>();
  for (const row of rows) {
    const k = JSON.stringify([row.model, row.mode]);
    const figures = (token: string) => {
      let m = out.get(k);
      if (!m) out.set(k, (m = new Map()));
      let f = m.get(token);
      if (!f) m.set(token, (f = { adherence: [], distance: [] }));
      return f;
    };
    for (const [field, v] of Object.entries(row)) {
      if (field.endsWith('_adherence')) figures(field.split('_adherence').join('')).adherence.push(v as number);
      else if (field.endsWith('_distance')) figures(field.split('_distance').join('')).distance.push(v as number);
      else if (field === 'key_correlation') figures('key').distance.push(v as number);
    }
  }
  return out;
}

/**
 * The reference notebook's comparison table as text: per model and mode, mean adherence and distance of each token, emotion and key.
 * @example
 * ```ts
 * console.log(et.formatComparisonTable(analysis.rows, {
 *   models: config.models.map((m) => m.name),
 *   modes: config.modes,
 *   tokensOfInterest: config.tokens_of_interest,
 *   keyAwareModels: config.models.filter((m) => m.key_aware).map((m) => m.name),
 * }));
 * ```
 */
export function formatComparisonTable(rows: readonly ResultRow[], opts: ComparisonTableOptions): string {
  const lines: string[] = [];
  const p = (s = '') => lines.push(s);
  p('='.repeat(90));
  p('ADHERENCE COMPARISON BY MODE (Average across emotions and conditions)');
  p('='.repeat(90));
  p();
  const comparison = groupByModelMode(rows);
  const allTokens = [...opts.tokensOfInterest, 'emotion', 'key'];
  const keyAware = opts.keyAwareModels ? new Set(opts.keyAwareModels) : undefined;
  for (const model of opts.models) {
    p('─'.repeat(90));
    p(`Model: ${model.toUpperCase()}`);
    p('─'.repeat(90));
    p(
      `${padRight('Mode', 26)} | ${padRight('Token', 10)} | ${padRight('Adherence %', 12)} | ${padRight('Avg Distance', 12)}`,
    );
    p('-'.repeat(90));
    const skipKey = model === 'pretrained' || (keyAware !== undefined && !keyAware.has(model));
    for (const mode of opts.modes) {
      const byToken = comparison.get(JSON.stringify([model, mode]));
      if (!byToken) continue;
      let first = true;
      for (const token of allTokens) {
        const m = byToken.get(token);
        if (!m) continue;
        if (token === 'key' && skipKey) continue;
        const adherencePct = m.adherence.length ? npMean(m.adherence) * 100 : 0.0;
        const distance = m.distance.length ? npMean(m.distance) : null;
        const distanceStr =
          distance === null ? 'N/A' : token === 'key' ? `${formatFixed(distance, 4)} ↑` : formatFixed(distance, 2);
        p(
          `${padRight(first ? mode : '', 26)} | ${padRight(token, 10)} | ${padLeft(formatFixed(adherencePct, 2), 11)}% | ${padLeft(distanceStr, 12)}`,
        );
        first = false;
      }
      if (!first) p();
    }
  }
  p('='.repeat(90));
  p();
  return `${lines.join('\n')}\n`;
}
