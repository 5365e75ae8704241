/**
 * Issue 13 item 6: the experiment folder fills up during `emotune run` (a 96 KB tmpfs; needs root and mount,
 * else skipped). The CLI must say "disk full while writing <file>" in one line and exit non-zero: no stack trace,
 * no crash from a log stream without an error listener; the records that could be written stay readable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fakeGenerator, tempDir, writeConfig } from '../helpers.js';
import { pretrainedOnlyConfig, startCli } from '../support/cli-runs.js';

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = tempDir('emotune-mount-probe-');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
}

const mounts: string[] = [];
afterEach(() => {
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
});

describe.skipIf(!canMount())('a full disk during emotune run (item 6)', () => {
  it('prints "disk full while writing <file>" as one line and exits 1; the metadata on disk stays valid JSON', async () => {
    const dir = tempDir('emotune-diskfull-');
    const exp = join(dir, 'exp');
    mkdirSync(exp);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', exp]).status).toBe(0);
    mounts.push(exp);
    const config = writeConfig(
      dir,
      pretrainedOnlyConfig({
        generator: { command: [process.execPath, fakeGenerator], timeout_s: 30 },
        concurrency: 2,
      }),
    );
    const r = await startCli(['run', '--config', config, '--lines'], dir, {}, 120_000).child;
    expect(r.exitCode, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^emotune: disk full while writing \/\S+/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const meta = join(exp, 'all_runs_metadata.json');
    if (existsSync(meta)) expect(() => JSON.parse(readFileSync(meta, 'utf8'))).not.toThrow();
  }, 150_000);
});
