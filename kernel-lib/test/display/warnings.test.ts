import { describe, expect, it } from 'vitest';
import type { ValidityWarning } from '../../src/aggregate/warnings.js';
import { renderReportHtml } from '../../src/display/report.js';
import { setDisplaySink } from '../../src/display/sink.js';
import { showWarnings, warningLines, warningsBundle, warningsHtml } from '../../src/display/warnings.js';
import type { MimeBundle } from '../../src/display/types.js';

const warnings: ValidityWarning[] = [
  { code: 'identical-outputs', message: 'songs repeat: a <b> & c', songs: 4, distinct: 2, groups: [] },
  {
    code: 'constant-figure',
    message: 'x is 1 for every one of 5 songs',
    model: 'm',
    mode: 'd',
    figure: 'x',
    value: 1,
    songs: 5,
  },
];

describe('validity warnings display', () => {
  it('prints a counted header and one [code] line per warning, or says there are none', () => {
    expect(warningLines(warnings)).toEqual([
      'VALIDITY WARNINGS (2; see docs/methodology.md):',
      '  [identical-outputs] songs repeat: a <b> & c',
      '  [constant-figure] x is 1 for every one of 5 songs',
    ]);
    expect(warningLines([])).toHaveLength(1);
    expect(warningLines([])[0]).toMatch(/^No validity warnings/);
  });
  it('escapes messages in HTML and links the methodology', () => {
    const html = warningsHtml(warnings);
    expect(html).toContain('songs repeat: a &lt;b&gt; &amp; c');
    expect(html).not.toContain('<b>');
    expect(html).toContain('docs/methodology.md');
    expect((html.match(/<li>/g) ?? []).length).toBe(2);
  });
  it('shows in a notebook as HTML with a plain-text fallback', () => {
    const seen: MimeBundle[] = [];
    const previous = setDisplaySink((b) => seen.push(b));
    try {
      showWarnings({ warnings });
    } finally {
      setDisplaySink(previous);
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject(warningsBundle(warnings));
    expect(String(seen[0]!.data['text/plain'])).toContain('[constant-figure]');
    expect(String(seen[0]!.data['text/html'])).toContain('Validity warnings (2)');
  });
  it('gets its own section in the report', () => {
    const html = renderReportHtml({
      title: 't',
      comparisonText: '',
      rows: [],
      facts: [],
      sections: [{ heading: 'Validity warnings (2)', html: warningsHtml(warnings) }],
    });
    expect(html).toContain('<h2>Validity warnings (2)</h2><ul class="warnings">');
  });
});
