import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import { TABLE_MIME, tableBundle, tablePayload } from '../../src/display/index.js';
import type { TablePayloadV1 } from '../../src/display/index.js';
import { columnDescription } from '../../src/display/table.js';
import { EXTENDED_DEFINITIONS } from '../../src/aggregate/extended-results.js';

const rows = [
  {
    model: 'scratch',
    mode: 'inference-primed',
    emotion: 1,
    key: 'C:maj',
    subset: ['duration'],
    duration_adherence: 0.0805,
    duration_distance: 677.59,
    key_correlation: 0.7444,
    duration_adherence_ci: [0.05, 0.11],
  },
  {
    model: 'pretrained',
    mode: 'inference-forced',
    emotion: 2,
    key: null,
    subset: ['duration', 'velocity'],
    duration_adherence: 0.5,
    duration_distance: 12.5,
    key_correlation: 0.61,
  },
];

describe('tablePayload', () => {
  it('infers columns in the one format of their kind: adherence as heat-coloured percent, correlation as a score ↑', () => {
    const p = tablePayload(rows);
    expect(p.version).toBe(1);
    const byKey = Object.fromEntries(p.columns.map((c) => [c.key, c]));
    expect(byKey['duration_adherence']).toMatchObject({
      kind: 'number',
      heat: true,
      format: { digits: 1, percent: true },
      better: 'up',
    });
    expect(byKey['key_correlation']).toMatchObject({ format: { digits: 2 }, better: 'up' });
    expect(byKey['duration_distance']).toMatchObject({ better: 'down' });
    expect(byKey['model']?.kind).toBe('text');
    expect(byKey['emotion']).toMatchObject({ kind: 'number', format: { digits: 0 } });
    expect(p.columns.map((c) => c.key)).not.toContain('duration_adherence_ci');
    expect(p.filters).toEqual(['model', 'mode']);
  });

  it('turns <field>_ci into an interval of that column and joins arrays as text', () => {
    const p = tablePayload(rows);
    expect(p.rows[0]?.intervals).toEqual({ duration_adherence: [0.05, 0.11] });
    expect(p.rows[1]?.intervals).toBeUndefined();
    expect(p.rows[1]?.values['subset']).toBe('duration, velocity');
    expect(p.rows[1]?.values['key']).toBeNull();
  });

  it('keeps only the requested columns, in order, with overrides', () => {
    const p = tablePayload(rows, { columns: ['mode', { key: 'duration_adherence', label: 'Duration' }], title: 'T' });
    expect(p.columns.map((c) => c.label)).toEqual(['mode', 'Duration']);
    expect(p.columns[1]?.heat).toBe(true);
    expect(p.filters).toEqual(['mode']);
    expect(p.title).toBe('T');
  });

  it('rejects a malformed interval with an EmotuneError naming the row and field', () => {
    const bad = [{ model: 'm', duration_adherence: 0.5, duration_adherence_ci: [0.1] }];
    expect(() => tablePayload(bad)).toThrow(EmotuneError);
    expect(() => tablePayload(bad)).toThrow(/rows\[0\]\.duration_adherence_ci/);
  });

  it('rejects a non-array or a non-object row', () => {
    expect(() => tablePayload('x' as never)).toThrow(/rows/);
    expect(() => tablePayload([1] as never)).toThrow(/rows\[0\]/);
  });
});

describe('tableBundle', () => {
  it('carries the emotune JSON, an HTML table with one row per record and aligned text', () => {
    const b = tableBundle(rows);
    expect((b.data[TABLE_MIME] as TablePayloadV1).rows).toHaveLength(2);
    const html = b.data['text/html'] as string;
    expect(html).toContain('data-emotune-rows="2"');
    expect(html.match(/<tr class="emotune-row">/g)).toHaveLength(2);
    expect(html).toContain('8.1%');
    expect(html).toContain('[5.0%, 11.0%]');
    expect(html).toContain('background:hsl(');
    const text = (b.data['text/plain'] as string).split('\n');
    // Header, rule, two rows; the column separators line up.
    expect(text).toHaveLength(4);
    const bar = (l: string): number => l.indexOf(' | ');
    expect(bar(text[2] ?? '')).toBe(bar(text[0] ?? ''));
    expect(bar(text[3] ?? '')).toBe(bar(text[0] ?? ''));
    expect(text[2]).toContain('0.74');
  });

  it('explains an empty adherence cell (not measured, not 0%) in its tooltip; measured cells have none', () => {
    const b = tableBundle([
      { model: 'scratch', mode: 'inference-primed', duration_adherence: 0.25 },
      { model: 'scratch', mode: 'inference-forced', duration_adherence: null },
    ]);
    const payload = b.data[TABLE_MIME] as TablePayloadV1;
    expect(payload.columns.find((c) => c.key === 'duration_adherence')?.emptyNote).toMatch(/forced mode/);
    const cells = [...(b.data['text/html'] as string).matchAll(/<td style="text-align:right[^"]*"([^>]*)>([^<]*)</g)];
    expect(cells.map((m) => m[2])).toEqual(['25.0%', '–']);
    expect(cells[0]?.[1]).toBe('');
    expect(cells[1]?.[1]).toMatch(/^ title="not measured: token adherence is left out in forced mode/);
    // The same words under the table, once, for readers who cannot hover (a class at a projector).
    expect(
      (b.data['text/html'] as string).match(/<p class="emotune-table-note"[^>]*>– = not measured: /g),
    ).toHaveLength(1);
    // Each kind of adherence says its own reason.
    const reasons = (
      tableBundle([{ emotion_adherence: null, key_adherence: null, velocity_adherence: 0.5 }]).data[
        TABLE_MIME
      ] as TablePayloadV1
    ).columns.map((c) => c.emptyNote);
    expect(reasons[0]).toMatch(/classifier/);
    expect(reasons[1]).toMatch(/key condition/);
    expect(reasons[2]).toMatch(/forced mode/);
    const measured = tableBundle([{ model: 'scratch', duration_adherence: 0.25 }]).data['text/html'] as string;
    expect(measured).not.toContain('emotune-table-note');
  });

  it('escapes labels and titles in the HTML part', () => {
    const evil = [{ model: '<script>alert(1)</script>', mode: '<img src=x onerror=alert(1)>', 'a<b': 1 }];
    const html = tableBundle(evil, { title: '<b onclick=x>' }).data['text/html'] as string;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('<b onclick');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('a&lt;b');
  });
});

describe('heat colours', () => {
  it('are not given to shares of one or two songs (only 0, 50 or 100%), which they would make look certain', () => {
    const coarse = tablePayload([{ emotion_adherence: 0 }, { emotion_adherence: 0.5 }, { emotion_adherence: 1 }]);
    expect(coarse.columns[0]).toMatchObject({ heat: false, better: 'up' });
    const fine = tablePayload([
      { duration_adherence: 0.31 },
      { duration_adherence: 0.5 },
      { duration_adherence: 0.77 },
    ]);
    expect(fine.columns[0]).toMatchObject({ heat: true });
    expect(fine.columns[0]?.description).toMatch(/duration/);
  });
});

describe('columnDescription', () => {
  it('describes each token figure by its own definition, the longest suffix first (note steps are not all steps)', () => {
    expect(columnDescription('duration_note_adherence')).toBe(
      `duration: ${EXTENDED_DEFINITIONS['<token>_note_adherence']}`,
    );
    expect(columnDescription('velocity_note_distance')).toBe(
      `velocity: ${EXTENDED_DEFINITIONS['<token>_note_distance']}`,
    );
    expect(columnDescription('duration_adherence')).toBe(`duration: ${EXTENDED_DEFINITIONS['<token>_adherence']}`);
  });

  it('says that the paired differences carry unadjusted intervals, beside adjusted p-values', () => {
    expect(columnDescription('difference_pp')).toMatch(/unadjusted 95% bootstrap interval.*adjusted for every test/);
    expect(columnDescription('difference')).toMatch(/unadjusted 95% bootstrap interval/);
  });
});
