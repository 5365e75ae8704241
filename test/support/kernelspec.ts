/**
 * The tslab kernelspec (.ci/setup-jupyter.sh writes the same JSON into .jupyter-data/), written by hand (tslab's own installer needs IPython, which Debian's Jupyter packages
 * do not bring) with the absolute path of the repo's tslab so that no PATH lookup is involved.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TSLAB_BIN } from './paths.js';

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
}

export function tslabKernelSpec(tslabBin: string = TSLAB_BIN): KernelSpec {
  // `--config-path` and `{connection_file}` are separate arguments, as tslab's installer writes them.
  return {
    argv: [tslabBin, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
}

/** Writes `<dataDir>/kernels/tslab/kernel.json`; point JUPYTER_PATH at `dataDir`. Returns the file's path. */
export async function installTslabKernelSpec(dataDir: string, tslabBin: string = TSLAB_BIN): Promise<string> {
  const dir = path.join(dataDir, 'kernels', 'tslab');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'kernel.json');
  await writeFile(file, `${JSON.stringify(tslabKernelSpec(tslabBin), null, 2)}\n`);
  return file;
}
