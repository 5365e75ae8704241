/** Fixed locations the cross-package tests share (all absolute, derived from this file's place in the repo). */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TEST_APP_DIR = path.join(REPO_ROOT, 'test', 'jupyterlab-app');
export const TEST_APP_SERVER = path.join(TEST_APP_DIR, 'server.py');
export const TEST_APP_STATIC = path.join(TEST_APP_DIR, 'dist', 'static', 'index.html');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'artifacts');
/** Repo-local Jupyter data dir written by .ci/setup-jupyter.sh (kernels/tslab/kernel.json). */
export const JUPYTER_DATA_DIR = path.join(REPO_ROOT, '.jupyter-data');
export const TSLAB_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'tslab');
/**
 * The extension's prebuilt output (`npm run build:labextension -w extension`); EMOTUNE_E2E_EXTENSION_DIR
 * points the browser test at another build (e.g. one made from a work-in-progress copy).
 */
export const EXTENSION_BUILD_DIR =
  process.env.EMOTUNE_E2E_EXTENSION_DIR ?? path.join(REPO_ROOT, 'extension', 'labextension');
export const EXTENSION_NAME = '@emotune/jupyterlab-ext';
export const RUN_NOTEBOOK_PY = path.join(REPO_ROOT, 'test', 'support', 'run_notebook.py');
/** Debian's interpreter: the one that has jupyter_server, nbclient and nbconvert (another python3 may be first on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const CHROMIUM = '/usr/bin/chromium';
