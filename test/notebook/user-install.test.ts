// `npm run install:jupyter` as a user runs it: the JUPYTER_PATH line to use, and a kernel whose failed cells
// carry the error's message under nbconvert/nbclient (plain tslab sends only "<Error>:").
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { executeNotebook } from './execute.js';
import { EXTENSION_BUILD_DIR, REPO_ROOT, SYSTEM_PYTHON } from '../support/paths.js';

const INSTALL = path.join(REPO_ROOT, 'extension', 'scripts', 'install-user.mjs');

async function missing(): Promise<string[]> {
  const out: string[] = [];
  try {
    await access(path.join(EXTENSION_BUILD_DIR, 'package.json'));
  } catch {
    out.push(`${EXTENSION_BUILD_DIR} (npm run build)`);
  }
  if (
    (await execa(SYSTEM_PYTHON, ['-c', 'import nbclient, nbformat, jupyter_client'], { reject: false })).exitCode !== 0
  )
    out.push('python3-nbclient');
  return out;
}

describe('install:jupyter into a chosen data directory', () => {
  it('prints the JUPYTER_PATH line and a kernel that reports a failed cell by its error', async (ctx) => {
    const gaps = await missing();
    if (gaps.length > 0) {
      if (process.env.CI) throw new Error(`missing: ${gaps.join(', ')}`);
      console.warn(`skipped: missing ${gaps.join(', ')}`);
      ctx.skip();
    }
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'emotune-install-'));
    try {
      const r = await execa(process.execPath, [INSTALL, '--data-dir', dataDir, '--kernelspec'], {
        env: { JUPYTER_PATH: '' },
        reject: false,
      });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain(`Jupyter does not look in ${dataDir} by itself.`);
      expect(r.stdout).toContain(`  export JUPYTER_PATH=${dataDir}\${JUPYTER_PATH:+:$JUPYTER_PATH}`);
      const spec = JSON.parse(await readFile(path.join(dataDir, 'kernels', 'tslab', 'kernel.json'), 'utf8')) as {
        argv: string[];
      };
      expect(spec.argv.slice(1)).toEqual([
        path.join(REPO_ROOT, 'kernel-lib', 'bin', 'tslab-kernel.cjs'),
        'kernel',
        '--config-path',
        '{connection_file}',
      ]);

      const nb = path.join(dataDir, 'fails.ipynb');
      await writeFile(
        nb,
        JSON.stringify({
          cells: [
            {
              cell_type: 'code',
              id: 'c1',
              metadata: {},
              execution_count: null,
              outputs: [],
              source: 'import * as et from "@emotune/kernel-lib";\nawait et.loadConfig("/nonexistent/config.json");',
            },
          ],
          metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
          nbformat: 4,
          nbformat_minor: 5,
        }),
      );
      const run = await executeNotebook(nb, {
        cwd: path.join(REPO_ROOT, 'notebooks'),
        cellTimeoutS: 120,
        env: { JUPYTER_PATH: dataDir },
      });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        'cell error: EmotuneError: /nonexistent/config.json: cannot read the configuration file (expected a readable JSON file, found ENOENT)',
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
