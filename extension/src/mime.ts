/** MIME types this extension renders (kernel-lib's display stage emits them; schemas in README.md). */
export const TABLE_MIME = 'application/vnd.emotune.table+json';
export const PIANOROLL_MIME = 'application/vnd.emotune.pianoroll+json';
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

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
