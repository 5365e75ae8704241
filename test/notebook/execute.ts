/**
 * Executes a notebook headless in the real tslab kernel with Debian's nbclient (test/support/run_notebook.py)
 * and returns the executed notebook, so tests can assert on what the cells printed and displayed.
 */
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createJupyterEnv } from '../support/jupyter-env.js';
import { RUN_NOTEBOOK_PY, SYSTEM_PYTHON } from '../support/paths.js';

export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  name?: 'stdout' | 'stderr';
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export interface ExecutedNotebook {
  notebook: Notebook;
  /** 0 all cells ran, 1 a cell raised (the notebook holds the outputs up to it), 2 execution failed. */
  exitCode: number;
  /** What run_notebook.py printed on stderr: on failure the failing cell and its stderr (tslab's exception). */
  stderr: string;
}

export interface ExecuteOptions {
  /** Seconds per cell (nbclient's timeout). Default 300. */
  cellTimeoutS?: number;
  /** Kernel working directory; default the notebook's folder (so `node_modules` above it resolve). */
  cwd?: string;
  kernelName?: string;
  /** Extra environment for the kernel (e.g. a test generator's path). */
  env?: Record<string, string>;
}

export function joinText(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

export async function executeNotebook(notebookPath: string, options: ExecuteOptions = {}): Promise<ExecutedNotebook> {
  const jupyter = await createJupyterEnv('emotune-nb-');
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'emotune-nb-out-'));
  const outFile = path.join(outDir, path.basename(notebookPath));
  const timeout = options.cellTimeoutS ?? 300;
  try {
    const args = [
      RUN_NOTEBOOK_PY,
      notebookPath,
      outFile,
      '--kernel',
      options.kernelName ?? 'tslab',
      '--timeout',
      String(timeout),
    ];
    if (options.cwd) args.push('--cwd', options.cwd);
    const r = await execa(SYSTEM_PYTHON, args, {
      env: { ...jupyter.env, HOME: path.join(jupyter.dir, 'home'), ...options.env },
      extendEnv: true,
      reject: false,
      // A generous whole-notebook bound on top of the per-cell one, so a wedged kernel cannot hang the suite.
      timeout: (timeout * 4 + 120) * 1000,
      forceKillAfterDelay: 5_000,
    });
    let notebook: Notebook;
    try {
      notebook = JSON.parse(await readFile(outFile, 'utf8')) as Notebook;
    } catch {
      throw new Error(`executing ${notebookPath} produced no notebook (exit ${r.exitCode}):\n${r.stderr}\n${r.stdout}`);
    }
    return { notebook, exitCode: r.exitCode ?? -1, stderr: r.stderr };
  } finally {
    await rm(outDir, { recursive: true, force: true });
    await jupyter.dispose();
  }
}

/** Outputs of every code cell, in order (markdown cells are skipped). */
export function codeCells(nb: Notebook): NotebookCell[] {
  return nb.cells.filter((c) => c.cell_type === 'code');
}

/** All stdout text of a cell (or of the whole notebook). */
export function streamText(cells: NotebookCell | NotebookCell[], stream: 'stdout' | 'stderr' = 'stdout'): string {
  const list = Array.isArray(cells) ? cells : [cells];
  return list
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.output_type === 'stream' && o.name === stream)
    .map((o) => joinText(o.text))
    .join('');
}

/**
 * Every display_data / execute_result bundle carrying `mime`, in order. Text parts that nbformat stored as a
 * list of lines (text/*, image/svg+xml) are joined back into one string.
 */
export function bundlesWith(cells: NotebookCell | NotebookCell[], mime: string): Array<Record<string, unknown>> {
  const list = Array.isArray(cells) ? cells : [cells];
  return list
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => (o.output_type === 'display_data' || o.output_type === 'execute_result') && o.data && mime in o.data)
    .map((o) =>
      Object.fromEntries(
        Object.entries(o.data!).map(([k, v]) => [
          k,
          Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.join('') : v,
        ]),
      ),
    );
}

/**
 * Error outputs (ename: evalue) of the notebook. tslab reports an exception on stderr with an error reply and no
 * error output, so a failed run shows in `ExecutedNotebook.exitCode`/`stderr`; this catches other kernels' errors.
 */
export function errorsOf(nb: Notebook): string[] {
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.output_type === 'error')
    .map((o) => `${o.ename}: ${o.evalue}`);
}
