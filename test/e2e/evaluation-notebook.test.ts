/**
 * End to end, as a researcher reads it: notebooks/evaluation.ipynb run in the test JupyterLab with the extension, in
 * Chromium. Checks what the reader sees (every table in one number format per kind; the adherence chart with its
 * chance and real-music ceiling lines) and saves light and dark screenshots to test/artifacts/ to judge them.
 * Its own server: the main job writes into a temporary experiment folder of its own (EMOTUNE_EXP).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { closeWithoutSaving, openNotebook, runAllCells, screenshot, switchTheme } from '../support/browser.js';
import { useLabSession } from '../support/lab-session.js';
import { REPO_ROOT } from '../support/paths.js';
import { missingForBrowser, shouldRun } from '../support/requirements.js';

const EVALUATION = 'notebooks/evaluation.ipynb';
const RUN = shouldRun('browser end-to-end tests (test/e2e)', await missingForBrowser());

/** The extension's table widget whose title starts with `title`. */
function tableTitled(nb: Locator, page: Page, title: string): Locator {
  return nb.locator('.emotune-table-widget', { has: page.locator('.emotune-table-title', { hasText: title }) }).first();
}

describe.skipIf(!RUN)('notebooks/evaluation.ipynb in JupyterLab with the extension', { retry: 1 }, () => {
  const lab = useLabSession('emotune-eval-e2e-');

  it('shows every table in one number format per kind and the adherence chart with chance, ceiling and floor lines; light and dark screenshots', async () => {
    const { server, chrome } = lab;
    const { page } = chrome;
    const before = await readFile(path.join(REPO_ROOT, EVALUATION), 'utf8');
    await openNotebook(page, server, EVALUATION);
    const run = await runAllCells(page, 900_000);
    expect(run.errors, 'kernel errors in the evaluation notebook').toEqual([]);
    expect(run.ok).toBe(true);
    const nb = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const tables = nb.locator('.emotune-table-widget table.emotune-table');
    await expect.poll(() => tables.count(), { timeout: 60_000 }).toBeGreaterThan(4);

    // One number format per kind, whatever the table: percent with one decimal, intervals alike; p-values never 0.000.
    const cells = await tables.evaluateAll((ts) =>
      ts.flatMap((t) =>
        Array.from(t.querySelectorAll('tr.emotune-row td')).map((td) => ({
          value: (td.childNodes[0]?.textContent ?? '').trim(),
          ci: td.querySelector('.emotune-ci')?.textContent?.trim() ?? '',
        })),
      ),
    );
    const percents = cells.filter((c) => /^-?[\d.]+%$/.test(c.value));
    expect(percents.length).toBeGreaterThan(50);
    for (const c of percents) {
      expect(c.value).toMatch(/^\d+\.\d%$/);
      if (c.ci) expect(c.ci).toMatch(/^\[\d+\.\d%, \d+\.\d%\]$/);
    }
    expect(cells.filter((c) => /^[pq] [=<]/.test(c.value)).length).toBeGreaterThan(0);
    for (const c of cells) expect(c.value).not.toMatch(/^[pq] = 0\.000$/);
    const perMode = tableTitled(nb, page, 'Per mode, with 95% intervals');
    const paired = tableTitled(nb, page, 'Paired mode comparisons');
    const ceiling = tableTitled(nb, page, 'Ceiling:');
    // Differences of shares: signed percentage points, one decimal.
    const diffIndex = await paired
      .locator('th.emotune-th')
      .evaluateAll((ths) => ths.findIndex((th) => (th as HTMLElement).dataset['key'] === 'difference_pp'));
    expect(diffIndex).toBeGreaterThanOrEqual(0);
    const diffs = await paired
      .locator('tr.emotune-row')
      .evaluateAll(
        (trs, i) => trs.map((tr) => (tr.children[i] as HTMLElement).childNodes[0]?.textContent ?? ''),
        diffIndex,
      );
    // Rows of other metrics have their difference in the next column: a dash here.
    const measured = diffs.filter((d) => d !== '–');
    expect(measured.length).toBeGreaterThan(0);
    for (const d of measured) expect(d).toMatch(/^([+-]\d+\.\d|0\.0)$/);

    // The adherence chart: chance (dashed) and real-music ceiling (solid) lines drawn over the emotion and key bars.
    const chart = nb
      .locator('.emotune-plotly-widget', { has: page.locator('text=Adherence by mode (95% intervals)') })
      .first();
    const plot = chart.locator('.js-plotly-plot').first();
    await expect.poll(() => plot.locator('.shapelayer path').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const marks = await plot.evaluate((gd) => {
      const full = (gd as unknown as { _fullLayout: { shapes: Array<{ name?: string; y0: number }> } })._fullLayout;
      return full.shapes.map((s) => ({ name: s.name ?? '', y: s.y0 }));
    });
    expect(marks.some((m) => m.name === 'reference:chance' && Math.abs(m.y - 25) < 1e-9)).toBe(true);
    expect(marks.some((m) => m.name === 'reference:ceiling' && m.y > 25 && m.y <= 100)).toBe(true);
    // Each token bar carries its own label-shuffled floor, below the bar (the main job's generators obey a little).
    const floors = marks.filter((m) => m.name === 'reference:floor');
    expect(floors.length).toBeGreaterThanOrEqual(8);
    for (const m of floors) expect(m.y).toBeGreaterThan(0);
    const legend = await plot.locator('.legend .legendtext').allTextContents();
    expect(legend).toEqual(
      expect.arrayContaining([
        'chance level (random answer)',
        'real music (ceiling)',
        'floor (same songs, requests shuffled)',
      ]),
    );
    // The token figures against their floors: one row per token figure of the non-forced modes, each with its reading.
    const floorTable = tableTitled(nb, page, 'Token figures against their floors');
    const readings = await floorTable.locator('tr.emotune-row').allTextContents();
    expect(readings.length).toBe(16);
    for (const r of readings) expect(r).toMatch(/above its floor/);

    // The validity warnings, among them the embedded generator judged by the classifier it was tuned with.
    const warnings = nb.locator('.jp-OutputArea-output', { hasText: 'Validity warnings (' }).first();
    await expect.poll(() => warnings.textContent(), { timeout: 30_000 }).toContain('tuned-with-classifier');

    await screenshot(perMode, 'evaluation-per-mode-table');
    await screenshot(warnings, 'evaluation-warnings');
    await screenshot(paired, 'evaluation-paired-table');
    await screenshot(ceiling, 'evaluation-ceiling-table');
    await screenshot(floorTable, 'evaluation-floor-table');
    await screenshot(chart, 'evaluation-adherence-chart');
    await switchTheme(page, 'dark');
    await screenshot(perMode, 'evaluation-per-mode-table-dark');
    await screenshot(paired, 'evaluation-paired-table-dark');
    await screenshot(chart, 'evaluation-adherence-chart-dark');
    await screenshot(warnings, 'evaluation-warnings-dark');
    // The lines follow the theme: drawn in its text colour, not plotly's dark default.
    const stroke = await plot
      .locator('.shapelayer path')
      .first()
      .evaluate((p) => getComputedStyle(p).stroke);
    expect(stroke).not.toBe('rgb(68, 68, 68)');
    await switchTheme(page, 'light');
    expect(await nb.locator('.emotune-error').count()).toBe(0);
    await closeWithoutSaving(page);
    expect(await readFile(path.join(REPO_ROOT, EVALUATION), 'utf8'), 'the browser test must not rewrite it').toBe(
      before,
    );
  }, 1_200_000);
});
