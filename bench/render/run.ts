/**
 * Time to first paint of a 2,000-note piano-roll and a 1,000-row table in Chromium, using the extension's
 * compiled renderers bundled into a static page. Prints figures; asserts nothing (goals: < 300 ms, < 200 ms).
 *
 *   npm run build:lib -w extension && npx tsx bench/render/run.ts [--runs 7] [--chromium /usr/bin/chromium]
 *
 * "Cold" roll = a fresh page, so it includes fetching and compiling the lazily loaded plotly chunk ("first
 * paint": the first frame with the notes on screen, the canvas frame drawn while plotly loads; "plotly
 * drawn": the interactive figure);
 * "after a table" = a fresh page that showed a table 2 s earlier (tables prefetch plotly when idle);
 * "warm" = plotly already loaded (every later roll in a notebook).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rspack } from '@rspack/core';
import { chromium } from 'playwright-core';
import { pianoRoll, tablePayload } from '../../kernel-lib/src/display/index.js';
import type { PianoRollPayloadV1, ResultRecord } from '../../kernel-lib/src/display/index.js';
import { mulberry32 } from '../../kernel-lib/src/prng.js';
import { readmeRow } from '../lib/measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(here, 'dist');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}
const runs = Number(arg('runs', '7'));
const executablePath = arg('chromium', '/usr/bin/chromium');

/** Deterministic pseudo-random numbers so every run draws the same data. */
const rng = mulberry32;

function rollPayload(n: number): PianoRollPayloadV1 {
  const r = rng(1);
  const notes = Array.from({ length: n }, (_, i) => {
    const start = Math.floor(i / 4) * 240 + Math.floor(r() * 4) * 60;
    const dur = [120, 240, 480, 960, 1080][Math.floor(r() * 5)] as number;
    return { pitch: 36 + Math.floor(r() * 60), start, end: start + dur, velocity: 30 + Math.floor(r() * 90) };
  });
  return {
    version: 1,
    linkedTime: false,
    rolls: [pianoRoll(notes, { title: '2,000 notes', highlight: { duration: 1080 } })],
  };
}

function tableRows(n: number): ResultRecord[] {
  const r = rng(2);
  const modes = ['inference-primed', 'inference-deterministic', 'inference-forced'];
  return Array.from({ length: n }, (_, i) => ({
    model: i % 2 ? 'scratch' : 'pretrained',
    mode: modes[i % 3],
    emotion: 1 + (i % 4),
    key: ['C:maj', 'A:min', 'G:maj'][i % 3],
    subset: ['duration', 'velocity'].slice(0, 1 + (i % 2)),
    duration_adherence: r(),
    duration_adherence_ci: [0, 1],
    velocity_adherence: r(),
    duration_distance: r() * 800,
    emotion_adherence: r(),
    key_adherence: r(),
    key_correlation: r(),
  }));
}

async function buildPage(): Promise<void> {
  if (!existsSync(join(root, 'extension/lib/table/widget.js'))) {
    throw new Error('extension/lib is missing: run `npm run build:lib -w extension` first');
  }
  await new Promise<void>((ok, fail) => {
    rspack({
      mode: 'production',
      target: 'web',
      context: here,
      entry: { page: './page.mjs' },
      output: {
        path: out,
        filename: '[name].js',
        chunkFilename: '[name].[contenthash].js',
        publicPath: '/',
        clean: true,
      },
      resolve: { modules: [join(root, 'node_modules'), 'node_modules'] },
      performance: { hints: false },
    }).run((err, stats) => {
      if (err) fail(err);
      else if (stats?.hasErrors()) fail(new Error(stats.toString({ all: false, errors: true })));
      else ok();
    });
  });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html' };

function page(): string {
  const css = readFileSync(join(root, 'extension/style/index.css'), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css} body{margin:0;font-family:sans-serif} #host{width:1000px;height:800px;position:relative}</style></head><body><div id="host"></div><script src="/page.js"></script></body></html>`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function line(name: string, xs: number[], goal: number): string {
  return `${name.padEnd(40)} median ${median(xs).toFixed(1).padStart(7)} ms   min ${Math.min(...xs)
    .toFixed(1)
    .padStart(7)}   max ${Math.max(...xs)
    .toFixed(1)
    .padStart(7)}   (goal < ${goal} ms, n=${xs.length})`;
}

async function main(): Promise<void> {
  await buildPage();
  const html = page();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    const file = join(out, path.replace(/^\/+/, ''));
    if (!file.startsWith(out) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({
    executablePath,
    // playwright gives the browser a fresh temporary profile itself.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const roll = rollPayload(2000);
    const table = tablePayload(tableRows(1000));
    const cold: number[] = [];
    const coldFirst: number[] = [];
    const warm: number[] = [];
    const tab: number[] = [];
    const tabAll: number[] = [];
    const afterTable: number[] = [];
    const tabJs: number[] = [];
    const warmJs: number[] = [];
    let notes = 0;
    let paths = 0;
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await p.goto(url);
      await p.waitForFunction(() => (window as unknown as { emotuneBenchReady?: boolean }).emotuneBenchReady === true);
      type Bench = {
        emotuneBench: {
          roll(
            x: unknown,
            keep?: boolean,
          ): Promise<{ ms: number; firstMs: number; jsMs: number; notes: number; paths: number }>;
          table(x: unknown, keep?: boolean): Promise<{ ms: number; jsMs: number; allMs: number; rows: number }>;
        };
      };
      const first = await p.evaluate((x) => (window as unknown as Bench).emotuneBench.roll(x), roll);
      cold.push(first.ms);
      coldFirst.push(first.firstMs);
      const again = await p.evaluate((x) => (window as unknown as Bench).emotuneBench.roll(x), roll);
      warm.push(again.ms);
      warmJs.push(again.jsMs);
      notes = again.notes;
      paths = again.paths;
      const t = await p.evaluate((x) => (window as unknown as Bench).emotuneBench.table(x), table);
      tab.push(t.ms);
      tabAll.push(t.allMs);
      tabJs.push(t.jsMs);
      rows = t.rows;
      await p.close();
      // A fresh page that shows a table first: the table prefetches plotly while the browser is idle.
      const q = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await q.goto(url);
      await q.waitForFunction(() => (window as unknown as { emotuneBenchReady?: boolean }).emotuneBenchReady === true);
      await q.evaluate((x) => (window as unknown as Bench).emotuneBench.table(x), table);
      await q.waitForTimeout(2000);
      afterTable.push((await q.evaluate((x) => (window as unknown as Bench).emotuneBench.roll(x), roll)).ms);
      await q.close();
    }
    console.log(`Chromium ${browser.version()}; extension renderers from extension/lib; ${runs} fresh pages`);
    console.log(`roll: ${notes} notes in ${paths} plotly paths; table: ${rows} rows in the DOM`);
    console.log(line('piano-roll 2,000 notes (cold, first paint)', coldFirst, 300));
    console.log(line('piano-roll 2,000 notes (cold, plotly drawn)', cold, 300));
    console.log(line('piano-roll 2,000 notes (after a table)', afterTable, 300));
    console.log(line('piano-roll 2,000 notes (warm)', warm, 300));
    console.log(line('  of which renderModel (JS)', warmJs, 300));
    console.log(line('table 1,000 rows (first paint)', tab, 200));
    readmeRow(
      'cold-page first paint of a 2,000-note piano-roll in Chromium (canvas first frame; plotly drawn after)',
      'npx tsx bench/render/run.ts',
      `${median(coldFirst).toFixed(0)} ms (goal < 300 ms); plotly drawn ${median(cold).toFixed(0)} ms; ${(median(cold) / median(coldFirst)).toFixed(0)}x sooner`,
    );
    console.log(line('  of which renderModel (JS)', tabJs, 200));
    console.log(line('table 1,000 rows (all rows in DOM)', tabAll, 200));
    const shots = arg('screenshots', '');
    if (shots) {
      type B = {
        emotuneBench: {
          roll(x: unknown, keep: boolean): Promise<unknown>;
          table(x: unknown, keep: boolean): Promise<unknown>;
        };
      };
      const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await p.goto(url);
      await p.waitForFunction(() => (window as unknown as { emotuneBenchReady?: boolean }).emotuneBenchReady === true);
      await p.evaluate((x) => (window as unknown as B).emotuneBench.roll(x, true), roll);
      await p.screenshot({ path: join(shots, 'bench-roll.png') });
      await p.evaluate((x) => (window as unknown as B).emotuneBench.table(x, true), table);
      await p.screenshot({ path: join(shots, 'bench-table.png') });
      console.log(`screenshots: ${join(shots, 'bench-roll.png')}, ${join(shots, 'bench-table.png')}`);
    }
    console.log(
      `load average while measuring: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} CPUs`,
    );
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
