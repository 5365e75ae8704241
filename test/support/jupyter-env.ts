/**
 * An isolated Jupyter environment for one test run: JUPYTER_PATH points at the repo's kernelspec dir, while
 * config, data and runtime dirs are fresh temporary ones, so a developer's own Jupyter setup never leaks in.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JUPYTER_DATA_DIR } from './paths.js';

export interface JupyterEnv {
  dir: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export async function createJupyterEnv(prefix = 'emotune-jupyter-'): Promise<JupyterEnv> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const sub = (name: string) => path.join(dir, name);
  await Promise.all(['config', 'data', 'runtime', 'home'].map((d) => mkdir(sub(d), { recursive: true })));
  const env: Record<string, string> = {
    JUPYTER_PATH: JUPYTER_DATA_DIR,
    JUPYTER_CONFIG_DIR: sub('config'),
    JUPYTER_DATA_DIR: sub('data'),
    JUPYTER_RUNTIME_DIR: sub('runtime'),
    // JupyterLab user settings and workspaces land under the config dir; keep them per run.
    JUPYTERLAB_SETTINGS_DIR: path.join(sub('config'), 'lab', 'user-settings'),
    JUPYTERLAB_WORKSPACES_DIR: path.join(sub('config'), 'lab', 'workspaces'),
    // Debian's Python must not pick up a pyenv or virtualenv site.
    PYTHONNOUSERSITE: '1',
  };
  return { dir, env, dispose: () => rm(dir, { recursive: true, force: true }) };
}
