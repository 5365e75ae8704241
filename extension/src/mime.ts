/** MIME types this extension renders: one definition, kernel-lib's display stage, which emits them (schemas in README.md). */
export { TABLE_MIME, PIANOROLL_MIME, PLOTLY_MIME } from '@emotune/kernel-lib/display-types';

/** A payload the renderer cannot read: shown as a message in the output instead of a broken widget. */
export class PayloadError extends Error {
  constructor(mime: string, field: string, expected: string) {
    super(`${mime}: ${field}: expected ${expected}`);
    this.name = 'PayloadError';
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
