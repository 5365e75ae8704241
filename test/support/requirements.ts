/**
 * What the notebook and browser tests need from the machine. Missing pieces make the tests skip with a loud
 * message on a developer's machine, and fail under CI=true (where .ci/setup-jupyter.sh must have provided them).
 */
import { execa } from 'execa';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { CHROMIUM, EXTENSION_BUILD_DIR, JUPYTER_DATA_DIR, SYSTEM_PYTHON, TEST_APP_STATIC, TSLAB_BIN } from './paths.js';

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function pythonHas(modules: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const m of modules) {
    const r = await execa(SYSTEM_PYTHON, ['-c', `import ${m}`], { reject: false, timeout: 30_000 });
    if (r.exitCode !== 0) missing.push(`python module ${m} (Debian package python3-${m.replace(/_/g, '-')})`);
  }
  return missing;
}

/** Missing pieces for executing notebooks in the tslab kernel with nbclient. */
export async function missingForNotebooks(): Promise<string[]> {
  const missing: string[] = [];
  if (!(await exists(SYSTEM_PYTHON))) return [`${SYSTEM_PYTHON}`];
  missing.push(...(await pythonHas(['nbclient', 'nbformat', 'jupyter_client'])));
  if (!(await exists(TSLAB_BIN))) missing.push(`${TSLAB_BIN} (npm install at the repo root)`);
  if (!(await exists(path.join(JUPYTER_DATA_DIR, 'kernels', 'tslab', 'kernel.json')))) {
    missing.push(`tslab kernelspec in ${JUPYTER_DATA_DIR} (bash .ci/setup-jupyter.sh)`);
  }
  return missing;
}

/** Missing pieces for the JupyterLab-in-Chromium tests (includes the notebook ones). */
export async function missingForBrowser(): Promise<string[]> {
  const missing = await missingForNotebooks();
  if (!(await exists(CHROMIUM))) missing.push(`${CHROMIUM} (Debian package chromium)`);
  missing.push(...(await pythonHas(['jupyter_server', 'jupyterlab_server', 'nbconvert'])));
  if (!(await exists(TEST_APP_STATIC)))
    missing.push(`${TEST_APP_STATIC} (bash .ci/setup-jupyter.sh builds test/jupyterlab-app)`);
  if (!(await exists(path.join(EXTENSION_BUILD_DIR, 'package.json')))) {
    missing.push(`${EXTENSION_BUILD_DIR} (npm run build:labextension -w extension)`);
  }
  return missing;
}

export const IN_CI = process.env.CI === 'true';

/**
 * Returns true when the suite should run. Otherwise prints why and returns false; under CI=true it throws
 * instead, so a CI machine that lacks a piece fails rather than passing with nothing tested.
 */
export function shouldRun(suite: string, missing: readonly string[]): boolean {
  if (missing.length === 0) return true;
  const message = `${suite}: cannot run, missing:\n  - ${missing.join('\n  - ')}`;
  if (IN_CI) throw new Error(`${message}\n(CI=true: failing instead of skipping)`);
  console.warn(`\n*** SKIPPING ${message}\n*** run: bash .ci/setup-jupyter.sh\n`);
  return false;
}
