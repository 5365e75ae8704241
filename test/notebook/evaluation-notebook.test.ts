/**
 * notebooks/evaluation.ipynb executed headless in the real tslab kernel (Debian's nbclient), against the embedded
 * generator, into a temporary experiment folder; the executed outputs are checked, not just "it ran".
 * Also checks the harness itself on a tiny fixture (a failing cell must surface as a failure with its error).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { missingForNotebooks, shouldRun } from '../support/requirements.js';
import {
  bundlesWith,
  codeCells,
  errorsOf,
  executeNotebook,
  streamText,
  type ExecutedNotebook,
  type Notebook,
} from './execute.js';

const RUN = shouldRun('notebook tests in the tslab kernel (test/notebook)', await missingForNotebooks());
const EVALUATION = path.join(REPO_ROOT, 'notebooks', 'evaluation.ipynb');

function notebookOf(sources: string[]): Notebook {
  return {
    cells: sources.map((source, i) => ({
      cell_type: 'code',
      id: `c${i}`,
      source,
      outputs: [],
      execution_count: null,
      metadata: {},
    })),
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

describe.skipIf(!RUN)('executeNotebook (harness)', () => {
  let dir: string;
  beforeAll(async () => {
    // Inside the repo (git-ignored .emotune-tmp/) so the kernel resolves @emotune/kernel-lib via the root node_modules.
    await mkdir(path.join(REPO_ROOT, '.emotune-tmp'), { recursive: true });
    dir = await mkdtemp(path.join(REPO_ROOT, '.emotune-tmp', 'nb-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the outputs of every cell, including a MIME bundle sent through kernel-lib', async () => {
    const file = path.join(dir, 'ok.ipynb');
    await writeFile(
      file,
      JSON.stringify(
        notebookOf([
          'import * as et from "@emotune/kernel-lib";\nconst n: number = 6 * 7;\nconsole.log(`answer ${n}`);',
          'et.showTable([{ model: "m", duration_adherence: 0.5 }], { title: "t" });',
        ]),
      ),
    );
    const r = await executeNotebook(file, { cellTimeoutS: 120 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(streamText(codeCells(r.notebook)[0]!)).toBe('answer 42\n');
    const [bundle] = bundlesWith(codeCells(r.notebook)[1]!, 'application/vnd.emotune.table+json');
    expect(bundle).toBeDefined();
    expect(bundle!['text/html']).toMatch(/<table/);
  }, 240_000);

  it('reports a failing cell with exit code 1, the exception, and nothing run after it', async () => {
    const file = path.join(dir, 'fail.ipynb');
    await writeFile(
      file,
      JSON.stringify(
        notebookOf(['console.log("before");', 'throw new Error("boom in cell 2");', 'console.log("after");']),
      ),
    );
    const r = await executeNotebook(file, { cellTimeoutS: 120 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('failed code cell #2');
    expect(r.stderr).toContain('Error: boom in cell 2');
    expect(streamText(codeCells(r.notebook)[0]!)).toBe('before\n');
    expect(codeCells(r.notebook)[2]!.outputs ?? []).toEqual([]);
  }, 240_000);
});

describe.skipIf(!RUN)('notebooks/evaluation.ipynb in the tslab kernel', () => {
  let expDir: string;
  let result: ExecutedNotebook;
  let out: string;

  beforeAll(async () => {
    expDir = await mkdtemp(path.join(os.tmpdir(), 'emotune-eval-nb-'));
    result = await executeNotebook(EVALUATION, { cellTimeoutS: 900, env: { EMOTUNE_EXP: expDir } });
    out = streamText(codeCells(result.notebook));
  }, 1_800_000);

  afterAll(async () => {
    await rm(expDir, { recursive: true, force: true });
  });

  it('runs top to bottom without a cell error', () => {
    expect(errorsOf(result.notebook), result.stderr).toEqual([]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(codeCells(result.notebook).every((c) => typeof c.execution_count === 'number')).toBe(true);
  });

  it('prints the banner, one short line per run and a run summary whose counts add up', () => {
    const planned = /Total runs to execute: (\d+)/.exec(out);
    expect(planned, out.slice(0, 2000)).not.toBeNull();
    const total = Number(planned![1]);
    expect(total).toBeGreaterThan(0);
    expect(out).toContain('COMPREHENSIVE EVALUATION CONFIGURATION');
    expect(out).toContain(`[1/${total}] `);
    // Per-run lines are short (id, conditions, outcome, time), not the wrapped command lines of the seed.
    const runLines = out.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
    expect(runLines.length).toBeGreaterThanOrEqual(Math.min(12, total));
    for (const l of runLines) {
      expect(l).toMatch(/^\[\d+\/\d+\] [0-9a-f]+ \S+ \/ \S+, Q[1-4].*: ✓ ok, \d+\.\d s$/);
      expect(l.length).toBeLessThan(150);
    }
    expect(out).not.toContain('Command:');
    if (total > 12) expect(out).toContain(`... and ${total - 12} more runs, all ✓ ok`);
    expect(out).toContain(`EVALUATION COMPLETE: ${total} total runs`);
    const ok = /Successful: (\d+)\/(\d+)/.exec(out);
    const failed = /Failed: (\d+)\/(\d+)/.exec(out);
    expect(ok).not.toBeNull();
    expect(failed).not.toBeNull();
    expect(Number(ok![2])).toBe(total);
    expect(Number(failed![2])).toBe(total);
    expect(Number(ok![1]) + Number(failed![1])).toBe(total);
    // The embedded generator follows the contract: every run succeeds.
    expect(Number(failed![1])).toBe(0);
  });

  it('prints the comparison table and the phase timings', () => {
    expect(out).toContain('ADHERENCE COMPARISON BY MODE');
    expect(out).toMatch(/Model: [A-Z]/);
    expect(out).toMatch(/inference-deterministic\s+\| duration\s+\|\s+\d+\.\d\d% \|/);
    expect(out).toMatch(/Tiempo total de evaluación: \d+\.\d\d segundos/);
    expect(out).toMatch(/Tiempo total de análisis de adherencia: \d+\.\d\d segundos/);
  });

  it('writes the results file it names, and its rows match the printed count', async () => {
    const saved = /Results saved to: (.+)/.exec(out);
    expect(saved).not.toBeNull();
    expect(saved![1]!.trim().startsWith(expDir)).toBe(true);
    const rows = JSON.parse(await readFile(saved![1]!.trim(), 'utf8')) as unknown[];
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
    expect(out).toContain(`Total result rows: ${rows.length}`);
  });

  it('writes the reference block (ceiling, floor, confusion data) and shows its tables beside the generated figures', async () => {
    const ext = JSON.parse(await readFile(path.join(expDir, 'evaluation_results_extended.json'), 'utf8'));
    expect(ext.reference.ceiling.emotion.overall.trials).toBe(198);
    expect(ext.reference.floor.emotion_chance).toBe(0.25);
    expect(ext.reference.confusion.length).toBeGreaterThan(0);
    for (const c of ext.reference.confusion) {
      expect(c.labels).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
      expect(c.counts).toHaveLength(4);
    }
    const titles = bundlesWith(codeCells(result.notebook), 'application/vnd.emotune.table+json').map((b) =>
      String((b['application/vnd.emotune.table+json'] as { title?: string }).title ?? ''),
    );
    expect(titles.some((t) => t.startsWith('Ceiling'))).toBe(true);
    expect(titles.some((t) => t.startsWith('Frechet distance'))).toBe(true);
  });

  it('shows the validity warnings and writes them into the extended results, songs as the unit', async () => {
    const html = bundlesWith(codeCells(result.notebook), 'text/html')
      .map((b) => String(b['text/html']))
      .find((h) => h.includes('Validity warnings ('));
    expect(html, 'a showWarnings display').toBeDefined();
    expect(html).toContain('docs/methodology.md');
    const ext = JSON.parse(await readFile(path.join(expDir, 'evaluation_results_extended.json'), 'utf8')) as {
      warnings: Array<{ code: string }>;
      modes: Array<{ n_songs: number; n_distinct: number }>;
      paired: Array<{ comparison: { p_adjusted: number; verdict: string } }>;
    };
    expect(html).toContain(`Validity warnings (${ext.warnings.length})`);
    for (const w of ext.warnings) expect(html).toContain(w.code);
    for (const m of ext.modes) expect(m.n_distinct).toBeLessThanOrEqual(m.n_songs);
    expect(ext.paired.every((p) => typeof p.comparison.p_adjusted === 'number')).toBe(true);
  });

  it('shows the result rows as a table bundle with an HTML fallback', () => {
    const tables = bundlesWith(codeCells(result.notebook), 'application/vnd.emotune.table+json');
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) {
      expect(t['text/html']).toMatch(/<table/);
      expect(typeof t['text/plain']).toBe('string');
    }
  });
});
