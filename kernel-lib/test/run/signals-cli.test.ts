/**
 * Issue 13, signals and locks at the CLI (items 3, 4, 7, and 2 end to end), with real processes: SIGHUP and
 * SIGTERM cancel like Ctrl-C; a second Ctrl-C SIGKILLs generators that ignore SIGTERM before exiting; a second
 * `emotune run` on a folder in use names the holder; a SIGKILLed `emotune` leaves orphans that the next run on
 * the folder removes; a setsid grandchild holding stdout cannot stop the time-out. The process table is checked.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, writeConfig } from '../helpers.js';
import { processesOf } from '../../../test/support/process-table.js';
import { waitFor } from '../../../test/support/wait.js';
import {
  expectNoProcessesLeft,
  pretrainedOnlyConfig,
  processJanitor,
  requireBuiltCli,
  startCli,
} from '../support/cli-runs.js';

const hostile = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'hostile', 'hostile-generator.mjs');
const ON_LINUX = process.platform === 'linux';
const owned = processJanitor();
beforeAll(requireBuiltCli);
afterEach(() => owned.cleanUp());

/** Six runs (one model, emotion 1, three modes x two tokens), two at a time. */
function setup(timeoutS = 600): { dir: string; config: string; expDir: string } {
  const dir = owned.dir('emotune-signals-');
  const config = writeConfig(
    dir,
    pretrainedOnlyConfig({
      emotions: [1],
      max_values_per_token: { duration: 1, velocity: 1 },
      generator: { command: [process.execPath, hostile], timeout_s: timeoutS },
      concurrency: 2,
    }),
  );
  return { dir, config, expDir: join(dir, 'exp') };
}

const start = (s: { dir: string; config: string }, behaviour: string) =>
  owned.start(['run', '--config', s.config, '--lines'], s.dir, { HOSTILE: behaviour });

/** Waits until `n` generator processes of the test run (they carry the config folder in their command line). */
async function generatorsRunning(dir: string, n: number): Promise<void> {
  await waitFor(
    async () => (await processesOf(dir)).filter((p) => p.cmdline.includes('hostile-generator')).length >= n,
    { timeoutMs: 30_000, what: `${n} generators running` },
  );
}

const records = (expDir: string) =>
  JSON.parse(readFileSync(join(expDir, 'all_runs_metadata.json'), 'utf8')) as Array<{
    status: string;
    reason?: string;
  }>;

const expectNothingLeft = (dir: string, cliPid: number | undefined) => expectNoProcessesLeft(dir, 8000, cliPid);

describe.skipIf(!ON_LINUX)('signals and locks in emotune run (issue 13, real processes)', () => {
  // SIGTERM with a setsid grandchild holding each generator's stdout: item 2's "first SIGTERM is ignored".
  for (const [sig, behaviour] of [
    ['SIGHUP', 'hang'],
    ['SIGTERM', 'setsid-stdout-hang'],
  ] as const) {
    it(`items 2-3: ${sig} cancels like Ctrl-C (generators: ${behaviour}): exit 130, started runs recorded as cancelled, no process left`, async () => {
      const s = setup();
      const { child } = start(s, behaviour);
      await generatorsRunning(s.dir, 2);
      child.kill(sig);
      const r = await child;
      expect(r.signal, `emotune died of ${sig}`).toBeUndefined();
      expect(r.exitCode, r.stderr as string).toBe(130);
      const recs = records(s.expDir);
      expect(recs.length).toBeGreaterThanOrEqual(2);
      expect(recs.every((x) => x.status === 'cancelled')).toBe(true);
      await expectNothingLeft(s.dir, child.pid);
    }, 60_000);
  }

  it('item 4: a second Ctrl-C exits at once and SIGKILLs generators that ignore SIGTERM', async () => {
    const s = setup();
    const { child, out } = start(s, 'ignore-term');
    await generatorsRunning(s.dir, 2);
    await waitFor(
      () =>
        readdirSync(s.expDir).filter(
          (f) =>
            existsSync(join(s.expDir, f, 'emotune.stdout.log')) &&
            readFileSync(join(s.expDir, f, 'emotune.stdout.log'), 'utf8').includes('ignoring SIGTERM'),
        ).length >= 2,
      { timeoutMs: 10_000, what: 'generators ignoring SIGTERM' },
    );
    child.kill('SIGINT');
    await waitFor(() => out.stderr.includes('cancelling'), { timeoutMs: 10_000, what: 'the first Ctrl-C to be taken' });
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    await expectNothingLeft(s.dir, child.pid);
  }, 60_000);

  it('item 7: a second emotune run on the same folder refuses, naming the pid and host of the first', async () => {
    const s = setup();
    const first = start(s, 'hang');
    await generatorsRunning(s.dir, 2);
    const second = await startCli(['run', '--config', s.config, '--lines'], s.dir, { HOSTILE: 'ok' }).child;
    expect(second.exitCode).not.toBe(0);
    expect(second.stderr).toMatch(new RegExp(`in use by another emotune run: pid ${first.child.pid} on `));
    expect(second.stdout).not.toContain('Command:');
    first.child.kill('SIGINT');
    expect((await first.child).exitCode).toBe(130);
  }, 60_000);

  it('item 7: after emotune is SIGKILLed, the next run takes over the stale lock and removes the orphaned generators', async () => {
    const s = setup();
    const first = start(s, 'setsid-stdout-hang');
    await generatorsRunning(s.dir, 2);
    first.child.kill('SIGKILL');
    await first.child;
    expect((await processesOf(s.dir)).length).toBeGreaterThan(0); // the orphans are real
    const again = await startCli(['run', '--config', s.config, '--lines'], s.dir, { HOSTILE: 'ok' }).child;
    expect(again.exitCode, again.stderr).toBe(0);
    expect(records(s.expDir).filter((x) => x.status === 'ok')).toHaveLength(6);
    await expectNothingLeft(s.dir, undefined);
  }, 90_000);

  it('item 2: a setsid grandchild holding stdout cannot keep emotune run from ending at the time-out', async () => {
    const s = setup(1);
    const { child } = start(s, 'setsid-stdout-hang');
    const r = await child;
    // Every run timed out, so the results are incomplete: exit 1 (not a hang, not a cancellation).
    expect(r.exitCode, r.stderr as string).toBe(1);
    const recs = records(s.expDir);
    expect(recs).toHaveLength(6);
    expect(recs.every((x) => x.status === 'timeout')).toBe(true);
    await expectNothingLeft(s.dir, child.pid);
  }, 90_000);
});
