// @vitest-environment jsdom
import './dom-setup.js';
import { describe, expect, it } from 'vitest';
import { TABLE_MIME } from '../src/mime.js';
import { heatBackground, nextSort, parseTablePayload, sortRows, toCsv, toMarkdown } from '../src/table/model.js';
import type { TablePayload } from '../src/table/model.js';
import { TableRenderer } from '../src/table/widget.js';
import { mimeModel } from './helpers.js';

const payload: TablePayload = {
  version: 1,
  title: 'Comparison',
  columns: [
    { key: 'model', label: 'model', kind: 'text' },
    { key: 'mode', label: 'mode', kind: 'text' },
    {
      key: 'duration_adherence',
      label: 'duration adherence',
      kind: 'number',
      format: { digits: 2, percent: true },
      heat: true,
      better: 'up',
    },
    {
      key: 'duration_distance',
      label: 'duration distance',
      kind: 'number',
      format: { digits: 2 },
      better: 'down',
      emptyNote: 'Not measured for forced runs.',
    },
  ],
  rows: [
    {
      values: { model: 'scratch', mode: 'primed', duration_adherence: 0.3, duration_distance: 10 },
      intervals: { duration_adherence: [0.2, 0.4] },
    },
    { values: { model: 'scratch', mode: 'forced', duration_adherence: 0.9, duration_distance: null } },
    { values: { model: 'pretrained', mode: 'primed', duration_adherence: 0.1, duration_distance: 2.5 } },
  ],
  filters: ['model', 'mode'],
};

async function render(p: unknown = payload): Promise<TableRenderer> {
  const w = new TableRenderer();
  await w.renderModel(mimeModel(TABLE_MIME, p));
  return w;
}

function column(w: TableRenderer, index: number): string[] {
  return [...w.node.querySelectorAll('tr.emotune-row')].map((tr) => tr.children[index]?.firstChild?.textContent ?? '');
}

describe('TableRenderer', () => {
  it('draws one row per payload row with the count as a DOM hook', async () => {
    const w = await render();
    expect(w.node.querySelectorAll('tr.emotune-row')).toHaveLength(3);
    expect(w.node.querySelector('table')?.getAttribute('data-emotune-rows')).toBe('3');
    expect([...w.node.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'model',
      'mode',
      'duration adherence higher better',
      'duration distance lower better',
    ]);
    // The header tooltip says what the column measures and which way is better, not just "Sort".
    expect(w.node.querySelector('th[data-key="duration_distance"]')?.getAttribute('title')).toMatch(
      /Lower is better\.\nClick to sort/,
    );
  });

  it('explains an empty number cell in its tooltip, and only the empty one', async () => {
    const w = await render();
    const cells = [...w.node.querySelectorAll('tr.emotune-row')].map((tr) => tr.children[3] as HTMLElement);
    expect(cells.map((td) => td.textContent)).toEqual(['10.00', '–', '2.50']);
    expect(cells.map((td) => td.getAttribute('title'))).toEqual([null, 'Not measured for forced runs.', null]);
    // Under the table in words too, while an empty cell is shown; not when the filter hides it.
    const notes = () => [...w.node.querySelectorAll('.emotune-table-note')].map((n) => n.textContent);
    expect(notes()).toEqual(['– = Not measured for forced runs.']);
    w.setFilter('mode', 'primed');
    expect(notes()).toEqual([]);
    // A long title has its own toolbar row and keeps its full text on hover.
    expect(w.node.querySelector('.emotune-table-title')?.getAttribute('title')).toBe('Comparison');
  });

  it('sorts ascending, then descending, then back to payload order on header clicks; empty cells stay last', async () => {
    const w = await render();
    const th = (): HTMLElement => w.node.querySelectorAll('th')[3] as HTMLElement;
    th().click();
    expect(column(w, 3)).toEqual(['2.50', '10.00', '–']);
    expect(th().getAttribute('aria-sort')).toBe('ascending');
    th().click();
    expect(column(w, 3)).toEqual(['10.00', '2.50', '–']);
    expect(w.node.querySelector('table')?.getAttribute('data-emotune-sort')).toBe('duration_distance:desc');
    th().click();
    expect(column(w, 0)).toEqual(['scratch', 'scratch', 'pretrained']);
    (w.node.querySelectorAll('th')[0] as HTMLElement).click();
    expect(column(w, 0)).toEqual(['pretrained', 'scratch', 'scratch']);
  });

  it('filters by model and mode through the selects', async () => {
    const w = await render();
    const selects = [...w.node.querySelectorAll('select')];
    expect(selects.map((s) => s.dataset['emotuneFilter'])).toEqual(['model', 'mode']);
    const model = selects[0] as HTMLSelectElement;
    expect([...model.options].map((o) => o.value)).toEqual(['', 'scratch', 'pretrained']);
    model.value = 'scratch';
    model.dispatchEvent(new Event('change'));
    expect(w.node.querySelector('table')?.getAttribute('data-emotune-rows')).toBe('2');
    const mode = selects[1] as HTMLSelectElement;
    mode.value = 'forced';
    mode.dispatchEvent(new Event('change'));
    expect(column(w, 1)).toEqual(['forced']);
    expect(w.node.querySelector('.emotune-table-status')?.textContent).toBe('1 of 3 rows');
  });

  it('colours adherence cells by value and shows intervals', async () => {
    const w = await render();
    const heat = [...w.node.querySelectorAll('td.emotune-heat')] as HTMLElement[];
    expect(heat).toHaveLength(3);
    // 0.3 → hue 36, 0.9 → hue 108 (red to green); compare as the DOM normalises colours.
    const as = (c: string): string => Object.assign(document.createElement('div').style, { background: c }).background;
    expect(heatBackground(0.3)).toBe('hsla(36, 75%, 50%, 0.35)');
    expect(heat.map((td) => td.style.background)).toEqual([
      as(heatBackground(0.3)),
      as(heatBackground(0.9)),
      as(heatBackground(0.1)),
    ]);
    expect(w.node.querySelector('.emotune-ci')?.textContent).toBe(' [20.00%, 40.00%]');
  });

  it('copies the shown rows as CSV and Markdown', async () => {
    const w = await render();
    (w.node.querySelectorAll('th')[2] as HTMLElement).click();
    (w.node.querySelector('button.emotune-copy-csv') as HTMLButtonElement).click();
    expect(w.lastCopied).toBe(
      'model,mode,duration_adherence,duration_distance,duration_adherence_lo,duration_adherence_hi\n' +
        'pretrained,primed,0.1,2.5,,\nscratch,primed,0.3,10,0.2,0.4\nscratch,forced,0.9,,,\n',
    );
    (w.node.querySelector('button.emotune-copy-md') as HTMLButtonElement).click();
    expect(w.lastCopied.split('\n').slice(0, 3)).toEqual([
      '| model | mode | duration adherence (higher better) | duration distance (lower better) |',
      '| --- | --- | ---: | ---: |',
      '| pretrained | primed | 10.00% | 2.50 |',
    ]);
    // The forced row's empty distance is explained under the Markdown table, as under the table on screen.
    expect(w.lastCopied.split('\n').slice(-3)).toEqual(['', '– = Not measured for forced runs.', '']);
  });

  it('writes hostile labels as text, never as elements', async () => {
    const evil = structuredClone(payload);
    evil.title = '<img src=x onerror=alert(1)>';
    evil.columns[0]!.label = '<script>alert(1)</script>';
    evil.rows[0]!.values['model'] = '<img src=x onerror=alert(2)>';
    const w = await render(evil);
    expect(w.node.querySelector('script, img')).toBeNull();
    expect(w.node.querySelector('th')?.textContent).toBe('<script>alert(1)</script>');
    expect(column(w, 0)[0]).toBe('<img src=x onerror=alert(2)>');
    expect(w.node.querySelector('.emotune-table-title')?.textContent).toBe('<img src=x onerror=alert(1)>');
    // The filter offers the hostile value as an option's text too.
    expect([...(w.node.querySelector('select') as HTMLSelectElement).options].map((o) => o.text)).toContain(
      '<img src=x onerror=alert(2)>',
    );
  });

  it('shows a message naming the field for a payload it cannot read', async () => {
    const w = await render({ version: 2, columns: [], rows: [] });
    expect(w.node.querySelector('.emotune-error')?.textContent).toMatch(/version: expected 1/);
    const w2 = await render({ version: 1, columns: [], rows: [{}] });
    expect(w2.node.textContent).toMatch(/rows: expected/);
  });
});

describe('TableRenderer with many rows', () => {
  it('paints the first rows at once, appends the rest over later frames, and sorts all of them', async () => {
    const many: TablePayload = {
      ...payload,
      rows: Array.from({ length: 1000 }, (_, i) => ({
        values: {
          model: `m${i % 7}`,
          mode: 'primed',
          duration_adherence: ((i * 37) % 1000) / 1000,
          duration_distance: i,
        },
      })),
    };
    const w = await render(many);
    const table = w.node.querySelector('table') as HTMLTableElement;
    expect(table.dataset['emotuneRows']).toBe('1000');
    expect(table.dataset['emotuneComplete']).toBe('false');
    expect(w.node.querySelectorAll('tr.emotune-row').length).toBeLessThan(1000);
    await w.whenComplete();
    expect(w.node.querySelectorAll('tr.emotune-row')).toHaveLength(1000);
    expect(table.dataset['emotuneComplete']).toBe('true');
    (w.node.querySelectorAll('th')[3] as HTMLElement).click();
    (w.node.querySelectorAll('th')[3] as HTMLElement).click();
    await w.whenComplete();
    const distances = column(w, 3);
    expect(distances).toHaveLength(1000);
    expect(distances.slice(0, 2)).toEqual(['999.00', '998.00']);
    expect(distances.at(-1)).toBe('0.00');
  });
});

describe('table model', () => {
  it('parses filters and fills missing labels', () => {
    const p = parseTablePayload({ version: 1, columns: [{ key: 'a', kind: 'number' }], rows: [{ values: { a: 1 } }] });
    expect(p.columns[0]).toMatchObject({ key: 'a', label: 'a', kind: 'number' });
    expect(p.filters).toEqual([]);
  });

  it('sort is stable and cycles asc → desc → off', () => {
    const rows = [{ values: { a: 1, b: 'x' } }, { values: { a: 1, b: 'y' } }, { values: { a: 0, b: 'z' } }];
    expect(sortRows(rows, { key: 'a', dir: 'asc' }).map((r) => r.values['b'])).toEqual(['z', 'x', 'y']);
    expect(sortRows(rows, { key: 'a', dir: 'desc' }).map((r) => r.values['b'])).toEqual(['x', 'y', 'z']);
    expect(nextSort(null, 'a')).toEqual({ key: 'a', dir: 'asc' });
    expect(nextSort({ key: 'a', dir: 'asc' }, 'a')).toEqual({ key: 'a', dir: 'desc' });
    expect(nextSort({ key: 'a', dir: 'desc' }, 'a')).toBeNull();
    expect(nextSort({ key: 'a', dir: 'desc' }, 'b')).toEqual({ key: 'b', dir: 'asc' });
  });

  it('quotes CSV fields and escapes Markdown pipes', () => {
    const cols = [{ key: 'a', label: 'a|b', kind: 'text' as const }];
    const rows = [{ values: { a: 'x, "y"' } }, { values: { a: 'p|q' } }];
    expect(toCsv(cols, rows)).toBe('a\n"x, ""y"""\np|q\n');
    expect(toMarkdown(cols, rows)).toBe('| a\\|b |\n| --- |\n| x, "y" |\n| p\\|q |\n');
  });
});

describe('TableRenderer navigation', () => {
  const withDetail = {
    ...payload,
    rows: payload.rows.map((r, i) => ({
      ...r,
      detail: {
        title: `run ${i}`,
        facts: [
          ['requested emotion', 'Q1'],
          ['MIDI file', `/exp/run${i}/song.mid`],
          ['<b>x</b>', '<img src=x>'],
        ],
      },
    })),
  };

  it("shows the clicked row's run under the table (facts as text), and closes it on a second click", async () => {
    const w = await render(withDetail);
    const rows = [...w.node.querySelectorAll<HTMLElement>('tr.emotune-row')];
    rows[1]!.click();
    await new Promise((r) => setTimeout(r, 0));
    const detail = w.node.querySelector<HTMLElement>('.emotune-row-detail')!;
    expect(detail.hidden).toBe(false);
    expect(detail.querySelector('b')?.textContent).toBe('run 1');
    expect([...detail.querySelectorAll('dt')].map((d) => d.textContent)).toEqual([
      'requested emotion',
      'MIDI file',
      '<b>x</b>',
    ]);
    expect(detail.querySelector('img')).toBeNull();
    expect(rows[1]!.classList.contains('emotune-selected')).toBe(true);
    rows[1]!.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(detail.hidden).toBe(true);
  });

  it('hides and shows columns from the column picker (and copies only the shown ones)', async () => {
    const w = await render();
    const box = w.node.querySelector<HTMLInputElement>('input[data-emotune-column="duration_distance"]')!;
    box.checked = false;
    box.dispatchEvent(new Event('change'));
    expect([...w.node.querySelectorAll('th')].map((th) => th.dataset['key'])).toEqual([
      'model',
      'mode',
      'duration_adherence',
    ]);
    expect(w.getCsv().split('\n')[0]).not.toContain('distance');
  });
});
