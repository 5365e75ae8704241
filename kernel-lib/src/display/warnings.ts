/** Validity warnings of the extended results, as terminal lines, report HTML and a notebook display. */
import type { ExtendedResults } from '../aggregate/extended-results.js';
import type { ValidityWarning } from '../aggregate/warnings.js';
import { escapeHtml } from './escape.js';
import { publishDisplay } from './sink.js';
import type { MimeBundle } from './types.js';

/** Where every figure's unit, interval, test and caveats are explained. */
export const METHODOLOGY_DOC = 'docs/methodology.md';

const none =
  'No validity warnings: no repeated songs, no constant or partly undefined figures, no classifier inputs out of range, complete grid, every file analysed, every figure above its floor, no generator judged by the classifier it was tuned with.';

/** Terminal text: a header with the count, then one `[code] message` paragraph per warning. */
export function warningLines(warnings: readonly ValidityWarning[]): string[] {
  if (warnings.length === 0) return [none];
  return [
    `VALIDITY WARNINGS (${warnings.length}; see ${METHODOLOGY_DOC}):`,
    ...warnings.map((w) => `  [${w.code}] ${w.message}`),
  ];
}

/** Report HTML (escaped): a list of warnings with their codes, or a line saying there are none. */
export function warningsHtml(warnings: readonly ValidityWarning[]): string {
  const link = `<p class="muted">What each warning means and how to read the figures: <code>${escapeHtml(METHODOLOGY_DOC)}</code> in the EmoTune Lab repository.</p>`;
  if (warnings.length === 0) return `<p>${escapeHtml(none)}</p>${link}`;
  const items = warnings
    .map((w) => `<li><strong><code>${escapeHtml(w.code)}</code></strong> ${escapeHtml(w.message)}</li>`)
    .join('');
  return `<ul class="warnings">${items}</ul>${link}`;
}

/** A MIME bundle (HTML and plain text) of the warnings. */
export function warningsBundle(warnings: readonly ValidityWarning[]): MimeBundle {
  return {
    data: {
      'text/html': `<div><h4>Validity warnings (${warnings.length})</h4>${warningsHtml(warnings)}</div>`,
      'text/plain': warningLines(warnings).join('\n'),
    },
    metadata: {},
  };
}

/**

 * Notebook display of an extended result's warnings.
 * @example
 * ```ts
 * et.showWarnings(extended); // identical outputs, constant figures, classifier out of range, ...
 * ```
 */
export function showWarnings(extended: Pick<ExtendedResults, 'warnings'>): void {
  publishDisplay(warningsBundle(extended.warnings));
}
