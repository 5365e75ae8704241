/** Escaping for every string that ends up in the static HTML/SVG parts of a bundle (labels come from data). */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for an HTML/SVG text node or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Only safe characters for a CSS colour we computed ourselves; anything else becomes a neutral grey. */
export function safeColor(color: string): string {
  return /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9.,\s%]+\)|hsla?\([0-9.,\s%]+\))$/.test(color) ? color : '#888888';
}
