/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and the JupyterLab steps the
 * browser tests share: open a notebook, run every cell, wait for the kernel, screenshots into test/artifacts.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { LabServer } from './lab-server.js';
import { ARTIFACTS_DIR, CHROMIUM } from './paths.js';

export interface ChromiumSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (JupyterLab has some expected noise; see the note in tests). */
  errors: string[];
  close(): Promise<void>;
}

export async function launchChromium(): Promise<ChromiumSession> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'emotune-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens `relPath` (relative to the server root) and waits until JupyterLab restored and the kernel is idle. */
export async function openNotebook(page: Page, server: LabServer, relPath: string, timeoutMs = 120_000): Promise<void> {
  await page.goto(server.treeUrl(relPath));
  await page.waitForFunction(() => (window as any).jupyterapp !== undefined, null, { timeout: timeoutMs });
  await page.evaluate(() => (window as any).jupyterapp.restored);
  await page.waitForFunction(
    (p) => {
      const w = (window as any).jupyterapp.shell.currentWidget;
      const kernel = w?.sessionContext?.session?.kernel;
      return w?.context?.path === p && kernel && kernel.status === 'idle';
    },
    relPath,
    { timeout: timeoutMs, polling: 250 },
  );
}

export interface CellRunSummary {
  /** What `notebook:run-all-cells` resolved to: false when a cell failed (JupyterLab then stops). */
  ok: boolean;
  cells: number;
  /** Code cells that never ran (after a failing cell). */
  notRun: number;
  /**
   * Failures, for messages: `error` outputs, and for a failed run the stderr of the last cell that ran (tslab
   * reports exceptions on stderr with an error reply, without an `error` output).
   */
  errors: string[];
}

/** Runs every cell with `notebook:run-all-cells`, which resolves once the cells ran (or one failed); then waits for idle. */
export async function runAllCells(page: Page, timeoutMs = 300_000): Promise<CellRunSummary> {
  const ok = await page.evaluate(
    (ms) =>
      Promise.race([
        (window as any).jupyterapp.commands.execute('notebook:run-all-cells') as Promise<boolean>,
        new Promise<boolean>((_, reject) =>
          setTimeout(() => reject(new Error(`cells still running after ${ms} ms`)), ms),
        ),
      ]),
    timeoutMs,
  );
  await page.waitForFunction(
    () => (window as any).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle',
    null,
    {
      timeout: 60_000,
      polling: 250,
    },
  );
  return page.evaluate((ranOk) => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    const code = panel.content.widgets.filter((c: any) => c.model.type === 'code');
    const errors: string[] = [];
    let lastRan: any = null;
    for (const cell of code) {
      if (cell.model.executionCount !== null) lastRan = cell;
      for (const o of cell.model.outputs.toJSON()) {
        if (o.output_type === 'error') errors.push(`${o.ename}: ${o.evalue}`);
      }
    }
    if (!ranOk && lastRan) {
      const stderr = lastRan.model.outputs
        .toJSON()
        .filter((o: any) => o.output_type === 'stream' && o.name === 'stderr')
        .map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text))
        .join('');
      errors.push(
        `cell [${lastRan.model.executionCount}] ${lastRan.model.sharedModel.getSource().slice(0, 120)}\n${stderr.slice(-2000)}`,
      );
    }
    return {
      ok: Boolean(ranOk),
      cells: code.length,
      notRun: code.filter((c: any) => c.model.executionCount === null).length,
      errors,
    };
  }, ok);
}

/** One line a code cell: its execution count and the output types/MIME types it holds (for failure messages). */
export async function describeOutputs(page: Page): Promise<string> {
  return page.evaluate(() => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    return panel.content.widgets
      .filter((c: any) => c.model.type === 'code')
      .map((c: any, i: number) => {
        const outs = c.model.outputs
          .toJSON()
          .map((o: any) => (o.data ? Object.keys(o.data).join('+') : `${o.output_type}${o.name ? `:${o.name}` : ''}`));
        const rendered = Array.from(c.node.querySelectorAll('.jp-OutputArea-output') as NodeListOf<HTMLElement>).map(
          (n) => n.className.replace(/\s+/g, '.'),
        );
        return `code cell ${i} [${c.model.executionCount}]: ${outs.join(', ') || '(no outputs)'} | rendered: ${rendered.join(', ')}`;
      })
      .join('\n');
  });
}

/** Saves a screenshot of the page or of one element as test/artifacts/<name>.png; returns the file. */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  if ('goto' in target) await target.screenshot({ path: file, fullPage: true });
  else {
    await target.scrollIntoViewIfNeeded();
    await target.screenshot({ path: file });
  }
  return file;
}

/** Shuts the notebook's kernel down and closes its tab without saving (and without the "unsaved changes" dialog). */
export async function closeWithoutSaving(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const panel = (window as any).jupyterapp.shell.currentWidget;
    if (!panel?.context) return;
    await panel.sessionContext.shutdown();
    panel.context.model.dirty = false;
    (window as any).__emotuneClosing = panel;
    panel.close();
  });
  await page.waitForFunction(() => (window as any).__emotuneClosing.isDisposed === true, null, { timeout: 30_000 });
}

/** Switch JupyterLab's theme and wait until the outputs have redrawn in it. */
export async function switchTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const name = theme === 'dark' ? 'JupyterLab Dark' : 'JupyterLab Light';
  await page.evaluate((t) => (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: t }), name);
  await page.waitForFunction((light) => document.body.dataset['jpThemeLight'] === light, String(theme === 'light'), {
    timeout: 30_000,
  });
  await page.waitForTimeout(1500);
}
