/**
 * Starts the test JupyterLab (test/jupyterlab-app/server.py on Debian's jupyter_server) on a free loopback port
 * and stops it again, killing the kernels it started with it.
 */
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { createJupyterEnv, type JupyterEnv } from './jupyter-env.js';
import { freeLoopbackPort } from './net.js';
import { EXTENSION_BUILD_DIR, EXTENSION_NAME, SYSTEM_PYTHON, TEST_APP_SERVER } from './paths.js';
import { WaitAborted, waitFor } from './wait.js';

export interface LabServer {
  /** e.g. http://127.0.0.1:PORT (no trailing slash) */
  baseUrl: string;
  token: string;
  /** `${baseUrl}/lab/tree/<path>?token=...` for a path relative to the server root. */
  treeUrl(relPath: string): string;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

export interface LabServerOptions {
  /** Folder served as the notebook root (notebooks' paths are relative to it). */
  rootDir: string;
  /** Install the extension through extra_labextensions_path (default true). */
  withExtension?: boolean;
  /** The extension's built labextension folder (default extension/labextension). */
  extensionBuildDir?: string;
  startTimeoutMs?: number;
  /** Extra environment for the server and so for the kernels it starts (e.g. EMOTUNE_EXP). */
  env?: Record<string, string>;
}

/** A folder holding `<package name>/` → the built extension, as extra_labextensions_path expects. */
async function labextensionsDir(env: JupyterEnv, buildDir: string): Promise<string> {
  const dir = path.join(env.dir, 'labextensions');
  const link = path.join(dir, ...EXTENSION_NAME.split('/'));
  await mkdir(path.dirname(link), { recursive: true });
  await symlink(buildDir, link, 'dir');
  return dir;
}

export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const env = await createJupyterEnv('emotune-lab-');
  const port = await freeLoopbackPort();
  const token = randomBytes(16).toString('hex');
  const args = [
    TEST_APP_SERVER,
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.token=${token}`,
    `--ServerApp.root_dir=${options.rootDir}`,
    '--ServerApp.allow_remote_access=False',
    // CI runs as root.
    '--ServerApp.allow_root=True',
    // Only the tslab kernel exists here; do not look for (or warn about) a Python one.
    '--KernelSpecManager.ensure_native_kernel=False',
    '--MappingKernelManager.default_kernel_name=tslab',
    // Opening a notebook makes a checkpoint; an absolute dir keeps .ipynb_checkpoints/ out of the repo.
    `--FileCheckpoints.checkpoint_dir=${path.join(env.dir, 'checkpoints')}`,
  ];
  if (options.withExtension !== false) {
    const dir = await labextensionsDir(env, options.extensionBuildDir ?? EXTENSION_BUILD_DIR);
    args.push(`--LabServerApp.extra_labextensions_path=${dir}`);
  }
  let output = '';
  const child: ResultPromise = execa(SYSTEM_PYTHON, args, {
    env: { ...env.env, HOME: path.join(env.dir, 'home'), ...options.env },
    extendEnv: true,
    reject: false,
    all: true,
    cleanup: true,
    // The server's own process group, so that stop() can also end the kernels it spawned.
    detached: true,
  });
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 5_000);
      await child;
      clearTimeout(killer);
    }
    await env.dispose();
  };

  try {
    await waitFor(
      async () => {
        if (exited) throw new WaitAborted('the server exited before it answered');
        const r = await fetch(`${baseUrl}/api/status?token=${token}`);
        return r.ok;
      },
      { timeoutMs: options.startTimeoutMs ?? 60_000, intervalMs: 250, what: `jupyter server on ${baseUrl}` },
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- server output ---\n${output}`, { cause: err });
  }

  return {
    baseUrl,
    token,
    treeUrl: (relPath) => `${baseUrl}/lab/tree/${relPath.split('/').map(encodeURIComponent).join('/')}?token=${token}`,
    log: () => output,
    stop,
  };
}
