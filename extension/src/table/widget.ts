/**
 * The table renderer: sortable headers, model/mode filters, heat-coloured adherence, intervals, sticky
 * header, copy as CSV / Markdown. All data goes into the DOM as text nodes, never as HTML.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { TABLE_MIME } from '../mime.js';
import { emptyCellNotes, isEmptyCell } from '@emotune/kernel-lib/display-format';
import { loadPlotly } from '../plotly/load.js';
import {
  distinctValues,
  filterRows,
  formatCi,
  formatValue,
  headerTooltip,
  heatBackground,
  nextSort,
  parseTablePayload,
  sortRows,
  toCsv,
  toMarkdown,
} from './model.js';
import type { SortState, TablePayload, TableRow } from './model.js';
import { PIANOROLL_MIME } from '../mime.js';
import { PianoRollRenderer } from '../pianoroll/widget.js';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function copyText(text: string): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Older browsers / insecure origins: a hidden textarea and the copy command.
  const area = el('textarea');
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export class TableRenderer extends Widget implements IRenderMime.IRenderer {
  private payload: TablePayload | null = null;
  private sort: SortState | null = null;
  private filters: Record<string, string> = {};
  private readonly toolbar = el('div', 'emotune-table-toolbar');
  private readonly status = el('span', 'emotune-table-status');
  private readonly scroller = el('div', 'emotune-table-scroll');
  private readonly table = el('table', 'emotune-table');
  private readonly detail = el('div', 'emotune-row-detail');
  /** Why the shown rows have `–` cells, in words under the table (a tooltip alone is lost at a projector). */
  private readonly notes = el('div', 'emotune-table-notes');
  private detailRoll: PianoRollRenderer | null = null;
  private hidden = new Set<string>();
  private selected: TableRow | null = null;
  private drawToken = 0;
  private complete: Promise<void> = Promise.resolve();
  /** What the last copy put on the clipboard (for tests and a status message). */
  lastCopied = '';

  constructor() {
    super();
    this.addClass('emotune-table-widget');
    this.scroller.appendChild(this.table);
    this.detail.hidden = true;
    this.node.append(this.toolbar, this.scroller, this.notes, this.detail);
  }

  /** Columns shown (the picker hides others). */
  private shownColumns(): TablePayload['columns'] {
    return (this.payload?.columns ?? []).filter((c) => !this.hidden.has(c.key));
  }

  setColumnHidden(key: string, hidden: boolean): void {
    if (hidden) this.hidden.add(key);
    else this.hidden.delete(key);
    this.draw();
  }

  /** Show a row's detail (its facts and piano-roll) under the table; the same row again closes it. */
  async showDetail(row: TableRow | null): Promise<void> {
    this.detailRoll?.dispose();
    this.detailRoll = null;
    if (!row?.detail || row === this.selected) {
      this.selected = null;
      this.detail.hidden = true;
      this.detail.replaceChildren();
      this.markSelected();
      return;
    }
    this.selected = row;
    this.markSelected();
    const d = row.detail;
    const close = el('button', 'emotune-detail-close jp-mod-styled', 'Close');
    close.addEventListener('click', () => void this.showDetail(null));
    const head = el('div', 'emotune-detail-head');
    head.append(el('b', undefined, d.title), close);
    const dl = el('dl', 'emotune-detail-facts');
    for (const [k, v] of d.facts ?? []) dl.append(el('dt', undefined, String(k)), el('dd', undefined, String(v)));
    this.detail.replaceChildren(head, dl);
    this.detail.hidden = false;
    if (d.roll) {
      const roll = new PianoRollRenderer();
      this.detailRoll = roll;
      this.detail.appendChild(roll.node);
      await roll.renderModel({
        trusted: true,
        data: { [PIANOROLL_MIME]: d.roll as unknown as IRenderMime.IMimeModel['data'][string] },
        metadata: {},
        setData: () => undefined,
      });
    }
  }

  private markSelected(): void {
    for (const tr of Array.from(this.table.querySelectorAll('tr.emotune-row'))) {
      tr.classList.toggle(
        'emotune-selected',
        (tr as HTMLElement & { emotuneRow?: TableRow }).emotuneRow === this.selected && this.selected !== null,
      );
    }
  }

  private buildColumnPicker(): HTMLElement {
    const details = el('details', 'emotune-column-picker');
    details.appendChild(el('summary', undefined, 'Columns'));
    const list = el('div', 'emotune-column-list');
    for (const col of this.payload?.columns ?? []) {
      const label = el('label');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = !this.hidden.has(col.key);
      box.dataset['emotuneColumn'] = col.key;
      box.addEventListener('change', () => this.setColumnHidden(col.key, !box.checked));
      label.append(box, document.createTextNode(` ${col.label}`));
      list.appendChild(label);
    }
    details.appendChild(list);
    return details;
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    try {
      this.payload = parseTablePayload(model.data[TABLE_MIME]);
    } catch (e) {
      this.node.replaceChildren(el('pre', 'emotune-error', (e as Error).message));
      return;
    }
    this.filters = {};
    this.hidden = new Set();
    this.selected = null;
    void this.showDetail(null);
    this.buildToolbar();
    this.draw();
    prefetchPlotly();
  }

  /** Rows after filter and sort, as shown. */
  visibleRows(): TableRow[] {
    if (!this.payload) return [];
    return sortRows(filterRows(this.payload.rows, this.filters), this.sort);
  }

  getCsv(): string {
    return this.payload ? toCsv(this.shownColumns(), this.visibleRows()) : '';
  }

  getMarkdown(): string {
    return this.payload ? toMarkdown(this.shownColumns(), this.visibleRows()) : '';
  }

  /** Programmatic equivalents of the UI (used by the header clicks and selects, and by tests). */
  sortBy(key: string): void {
    this.sort = nextSort(this.sort, key);
    this.draw();
  }

  setFilter(key: string, value: string): void {
    this.filters[key] = value;
    this.draw();
  }

  private buildToolbar(): void {
    const p = this.payload;
    if (!p) return;
    this.toolbar.replaceChildren();
    if (p.title !== undefined) {
      const title = el('span', 'emotune-table-title', p.title);
      title.title = p.title; // a title cut short at the toolbar's width stays readable on hover
      this.toolbar.appendChild(title);
    }
    for (const key of p.filters) {
      const col = p.columns.find((c) => c.key === key);
      const label = el('label', 'emotune-filter');
      label.appendChild(document.createTextNode(`${col?.label ?? key} `));
      const select = el('select');
      select.dataset['emotuneFilter'] = key;
      select.appendChild(Object.assign(el('option', undefined, 'all'), { value: '' }));
      for (const v of distinctValues(p.rows, key))
        select.appendChild(Object.assign(el('option', undefined, v), { value: v }));
      select.addEventListener('change', () => this.setFilter(key, select.value));
      label.appendChild(select);
      this.toolbar.appendChild(label);
    }
    const csv = el('button', 'emotune-copy-csv jp-mod-styled', 'Copy CSV');
    const md = el('button', 'emotune-copy-md jp-mod-styled', 'Copy Markdown');
    csv.addEventListener('click', () => void this.copy(this.getCsv(), 'CSV'));
    md.addEventListener('click', () => void this.copy(this.getMarkdown(), 'Markdown'));
    this.toolbar.append(this.buildColumnPicker(), csv, md, this.status);
    if (p.rows.some((r) => r.detail))
      this.toolbar.appendChild(el('span', 'emotune-table-hint', 'Click a row to see and hear that run.'));
  }

  private async copy(text: string, what: string): Promise<void> {
    this.lastCopied = text;
    try {
      await copyText(text);
      this.status.textContent = `${what} copied`;
    } catch {
      this.status.textContent = `could not copy ${what}`;
    }
  }

  private draw(): void {
    const p = this.payload;
    if (!p) return;
    const rows = this.visibleRows();
    const thead = el('thead');
    const hr = el('tr');
    const columns = this.shownColumns();
    for (const col of columns) {
      const th = el('th', `emotune-th emotune-${col.kind}${col.pinned ? ' emotune-pinned' : ''}`);
      th.dataset['key'] = col.key;
      th.title = headerTooltip(col);
      th.textContent = col.label;
      if (col.better)
        th.appendChild(el('span', 'emotune-better', col.better === 'up' ? ' higher better' : ' lower better'));
      const sorted = this.sort?.key === col.key ? this.sort.dir : null;
      th.setAttribute('aria-sort', sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none');
      if (sorted) th.appendChild(el('span', 'emotune-sort-mark', sorted === 'asc' ? ' ▲' : ' ▼'));
      th.addEventListener('click', () => this.sortBy(col.key));
      hr.appendChild(th);
    }
    thead.appendChild(hr);
    const tbody = el('tbody');
    const token = ++this.drawToken;
    const first = Math.min(rows.length, FIRST_ROWS);
    this.appendRows(tbody, rows, 0, first);
    this.table.replaceChildren(thead, tbody);
    this.pinColumns();
    this.table.dataset['emotuneRows'] = String(rows.length);
    this.table.dataset['emotuneSort'] = this.sort ? `${this.sort.key}:${this.sort.dir}` : '';
    this.status.textContent = `${rows.length} of ${p.rows.length} rows`;
    this.notes.replaceChildren(
      ...emptyCellNotes(columns, rows).map((n) => el('div', 'emotune-table-note', `– = ${n}`)),
    );
    // Long tables: paint the first screenfuls now, append the rest over the next frames.
    this.table.dataset['emotuneComplete'] = String(first === rows.length);
    this.complete = first === rows.length ? Promise.resolve() : this.appendLater(tbody, rows, first, token);
  }

  /** Resolves once every row of the current view is in the DOM. */
  whenComplete(): Promise<void> {
    return this.complete;
  }

  private appendLater(tbody: HTMLElement, rows: TableRow[], from: number, token: number): Promise<void> {
    return new Promise((resolve) => {
      const step = (start: number): void => {
        if (token !== this.drawToken || this.isDisposed) return resolve();
        const end = Math.min(rows.length, start + LATER_ROWS);
        this.appendRows(tbody, rows, start, end);
        if (end < rows.length) nextFrame(() => step(end));
        else {
          this.table.dataset['emotuneComplete'] = 'true';
          resolve();
        }
      };
      nextFrame(() => step(from));
    });
  }

  private appendRows(tbody: HTMLElement, rows: TableRow[], start: number, end: number): void {
    const p = this.payload;
    if (!p) return;
    const frag = document.createDocumentFragment();
    for (let i = start; i < end; i++) {
      const row = rows[i] as TableRow;
      const tr = el('tr', 'emotune-row') as HTMLTableRowElement & { emotuneRow?: TableRow };
      tr.emotuneRow = row;
      if (row.detail) {
        tr.classList.add('emotune-has-detail');
        tr.addEventListener('click', () => void this.showDetail(row));
      }
      if (row === this.selected) tr.classList.add('emotune-selected');
      for (const col of this.shownColumns()) {
        const v = row.values[col.key];
        const td = el(
          'td',
          `emotune-td emotune-${col.kind}${col.pinned ? ' emotune-pinned' : ''}`,
          formatValue(v, col),
        );
        // An empty number cell says why it is empty: "not measured" is not "0%".
        if (col.kind === 'number' && isEmptyCell(v) && col.emptyNote) td.title = col.emptyNote;
        if (col.heat && typeof v === 'number') {
          td.classList.add('emotune-heat');
          td.style.background = heatBackground(v);
        }
        const ci = row.intervals?.[col.key];
        if (ci) td.appendChild(el('span', 'emotune-ci', ` ${formatCi(ci, col)}`));
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    this.pinColumns();
  }

  /** Pinned columns stick to the left edge when the table scrolls sideways: each at the width of those before it. */
  private pinColumns(): void {
    const ths = Array.from(this.table.querySelectorAll<HTMLElement>('thead th.emotune-pinned'));
    if (ths.length === 0) return;
    let left = 0;
    const offsets = new Map<string, number>();
    for (const th of ths) {
      offsets.set(th.dataset['key'] ?? '', left);
      th.style.left = `${left}px`;
      left += th.offsetWidth;
    }
    const keys = this.shownColumns().map((c) => c.key);
    for (const tr of Array.from(this.table.querySelectorAll('tbody tr'))) {
      Array.from(tr.children).forEach((td, i) => {
        const off = offsets.get(keys[i] ?? '');
        if (off !== undefined) (td as HTMLElement).style.left = `${off}px`;
      });
    }
  }
}

/** Rows drawn before the first paint (more than a screenful of the 480 px scroller), then per frame. */
const FIRST_ROWS = 150;
const LATER_ROWS = 400;

let prefetched = false;

/**
 * A notebook that shows an EmoTune table usually shows rolls and charts next: fetch and compile plotly's
 * cartesian build while the browser is idle, so the first roll does not wait for it. Once a page; only where
 * requestIdleCallback exists (browsers, not jsdom).
 */
function prefetchPlotly(): void {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number })
    .requestIdleCallback;
  if (prefetched || typeof idle !== 'function') return;
  prefetched = true;
  idle(() => void loadPlotly('cartesian').catch(() => undefined), { timeout: 5000 });
}

function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 0);
}
