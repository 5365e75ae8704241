/** The tslab kernelspec that .ci/setup-jupyter.sh writes: absolute path of the repo's tslab, tslab's own argv shape. */
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tslabKernelSpec } from '../support/kernelspec.js';
import { JUPYTER_DATA_DIR } from '../support/paths.js';
import { missingForNotebooks, shouldRun } from '../support/requirements.js';

const RUN = shouldRun('tslab kernelspec check', await missingForNotebooks());

describe.skipIf(!RUN)('.jupyter-data/kernels/tslab/kernel.json', () => {
  it('runs the repo tslab by absolute path with the connection file as its own argument', async () => {
    const spec = JSON.parse(await readFile(path.join(JUPYTER_DATA_DIR, 'kernels', 'tslab', 'kernel.json'), 'utf8')) as {
      argv: string[];
    };
    expect(spec).toEqual(tslabKernelSpec());
    expect(path.isAbsolute(spec.argv[0]!)).toBe(true);
    await access(spec.argv[0]!, constants.X_OK);
    expect(spec.argv.slice(1)).toEqual(['kernel', '--config-path', '{connection_file}']);
  });
});
