/**
 * A browser session against the test JupyterLab: the server (repo root as its root, so notebooks resolve
 * @emotune/kernel-lib through the root node_modules) with a temporary experiment folder of its own as EMOTUNE_EXP
 * (kernels inherit the server's environment), and Chromium.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, type ChromiumSession } from './browser.js';
import { startLabServer, type LabServer } from './lab-server.js';
import { REPO_ROOT } from './paths.js';

export interface LabSession {
  server: LabServer;
  chrome: ChromiumSession;
  /** The kernels' EMOTUNE_EXP, removed by `close`. */
  expDir: string;
  close(): Promise<void>;
}

export async function startLabSession(expPrefix: string): Promise<LabSession> {
  const expDir = await mkdtemp(path.join(os.tmpdir(), expPrefix));
  const server = await startLabServer({ rootDir: REPO_ROOT, env: { EMOTUNE_EXP: expDir } });
  const chrome = await launchChromium();
  return {
    server,
    chrome,
    expDir,
    close: async () => {
      await chrome.close();
      await server.stop();
      await rm(expDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a session before the tests of the enclosing `describe` and closes it after them; its fields are filled
 * once `beforeAll` has run.
 */
export function useLabSession(expPrefix: string): LabSession {
  const holder = {} as LabSession;
  beforeAll(async () => {
    Object.assign(holder, await startLabSession(expPrefix));
  }, 180_000);
  afterAll(async () => {
    await holder.close?.();
  }, 60_000);
  return holder;
}
