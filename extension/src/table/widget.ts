/**
 * The table renderer: sortable headers, model/mode filters, heat-coloured adherence, intervals, sticky
 * header, copy as CSV / Markdown. All data goes into the DOM as text nodes, never as HTML.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { TABLE_MIME } from '../mime.js';
import { loadPlotly } from '../plotly/load.js';
import {
  distinctValues,
  filterRows,
  formatValue,
  headerLabel,
  heatBackground,
  nextSort,
  parseTablePayload,
  sortRows,
  toCsv,
  toMarkdown,
} from './model.js';
import type { SortState, TablePayload, TableRow } from './model.js';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
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
  private drawToken = 0;
  private complete: Promise<void> = Promise.resolve();
  /** What the last copy put on the clipboard (for tests and a status message). */
  lastCopied = '';

  constructor() {
    super();
    this.addClass('emotune-table-widget');
    this.scroller.appendChild(this.table);
    this.node.append(this.toolbar, this.scroller);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    try {
      this.payload = parseTablePayload(model.data[TABLE_MIME]);
    } catch (e) {
      this.node.replaceChildren(el('pre', 'emotune-error', (e as Error).message));
      return;
    }
    this.filters = {};
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
    return this.payload ? toCsv(this.payload.columns, this.visibleRows()) : '';
  }

  getMarkdown(): string {
    return this.payload ? toMarkdown(this.payload.columns, this.visibleRows()) : '';
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
    if (p.title !== undefined) this.toolbar.appendChild(el('span', 'emotune-table-title', p.title));
    for (const key of p.filters) {
      const col = p.columns.find((c) => c.key === key);
      const label = el('label', 'emotune-filter');
      label.appendChild(document.createTextNode(`${col?.label ?? key} `));
      const select = el('select');
      select.dataset['emotuneFilter'] = key;
      select.appendChild(Object.assign(el('option', undefined, 'all'), { value: '' }));
      for (const v of distinctValues(p.rows, key)) select.appendChild(Object.assign(el('option', undefined, v), { value: v }));
      select.addEventListener('change', () => this.setFilter(key, select.value));
      label.appendChild(select);
      this.toolbar.appendChild(label);
    }
    const csv = el('button', 'emotune-copy-csv jp-mod-styled', 'Copy CSV');
    const md = el('button', 'emotune-copy-md jp-mod-styled', 'Copy Markdown');
    csv.addEventListener('click', () => void this.copy(this.getCsv(), 'CSV'));
    md.addEventListener('click', () => void this.copy(this.getMarkdown(), 'Markdown'));
    this.toolbar.append(csv, md, this.status);
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
    for (const col of p.columns) {
      const th = el('th', `emotune-th emotune-${col.kind}`);
      th.dataset['key'] = col.key;
      th.title = 'Sort';
      th.textContent = headerLabel(col);
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
    this.table.dataset['emotuneRows'] = String(rows.length);
    this.table.dataset['emotuneSort'] = this.sort ? `${this.sort.key}:${this.sort.dir}` : '';
    this.status.textContent = `${rows.length} of ${p.rows.length} rows`;
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
      const tr = el('tr', 'emotune-row');
      for (const col of p.columns) {
        const v = row.values[col.key];
        const td = el('td', `emotune-td emotune-${col.kind}`, formatValue(v, col));
        if (col.heat && typeof v === 'number') {
          td.classList.add('emotune-heat');
          td.style.background = heatBackground(v);
        }
        const ci = row.intervals?.[col.key];
        if (ci) td.appendChild(el('span', 'emotune-ci', ` [${formatValue(ci[0], col)}, ${formatValue(ci[1], col)}]`));
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
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
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number }).requestIdleCallback;
  if (prefetched || typeof idle !== 'function') return;
  prefetched = true;
  idle(() => void loadPlotly('cartesian').catch(() => undefined), { timeout: 5000 });
}

function nextFrame(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 0);
}
