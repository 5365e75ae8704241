/**
 * Soak (issue 13): many runs of a generator that randomly crashes, hangs, ignores SIGTERM, writes garbage or
 * leaves stray children holding its pipes (some in their own session), eight at a time, while `emotune run`
 * itself is hit by random SIGINT, double SIGINT, SIGTERM, SIGHUP and SIGKILL and restarted, and now and then a
 * second `emotune run` is started on the same folder. At the end every grid cell is done exactly once (a cell
 * recorded `ok` is never run again), the metadata was valid JSON after every invocation, and the process table
 * holds nothing of the test.
 *
 * CI runs the short form (60 cells). `npm run test:soak` runs the long one: SOAK=full, 2,004 cells.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureVocab, repoRoot, tempDir, writeConfig } from '../helpers.js';
import { killLeftovers } from '../../../test/support/process-table.js';
import { sleep } from '../../../test/support/wait.js';
import { mulberry32 } from '../../src/prng.js';
import { checkRunOutputs } from '../../src/run/check-outputs.js';
import type { Word2Event } from '../../src/formats/types.js';
import { expectNoProcessesLeft, pretrainedOnlyConfig, startCli } from '../support/cli-runs.js';

const FULL = process.env.SOAK === 'full';
/** Cells = 3 modes x 4 emotions x (d + v + d*v) with condition sets of size 1 and 2. */
const GRID = FULL ? { duration: 11, velocity: 13 } : { duration: 1, velocity: 2 };
const CELLS = 12 * (GRID.duration + GRID.velocity + GRID.duration * GRID.velocity);
const MAX_INVOCATIONS = FULL ? 400 : 60;
const SEED = Number(process.env.SOAK_SEED ?? 1313);

const hostile = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'hostile', 'hostile-generator.mjs');
const vocab = JSON.parse(readFileSync(fixtureVocab('pretrained'), 'utf8')) as Word2Event;
const dir = tempDir('emotune-soak-');

afterAll(async () => {
  await killLeftovers(dir);
  rmSync(dir, { recursive: true, force: true });
});

interface Rec {
  id: string;
  status: string;
  returncode: number;
  out_dir: string;
  started_at: string;
}

describe.skipIf(process.platform !== 'linux')(
  `soak: ${CELLS} cells, hostile generator, concurrency 8, signals and restarts`,
  () => {
    it(
      'ends with every cell done exactly once, valid metadata after every invocation, and no process left',
      async () => {
        const config = writeConfig(
          dir,
          pretrainedOnlyConfig({
            max_values_per_token: GRID,
            condition_set_sizes: [1, 2],
            generator: { command: [process.execPath, hostile], timeout_s: 2 },
            concurrency: 8,
          }),
        );
        const expDir = join(dir, 'exp');
        const meta = join(expDir, 'all_runs_metadata.json');
        const rnd = mulberry32(SEED);
        const done = new Map<string, string>(); // id -> out_dir of its ok record: must never change
        const faults: Record<string, number> = {};
        const statuses: Record<string, number> = {};
        const count = (o: Record<string, number>, k: string) => (o[k] = (o[k] ?? 0) + 1);
        let invocations = 0;
        let finished = false;

        while (!finished && invocations < MAX_INVOCATIONS) {
          invocations++;
          const { child } = startCli(['run', '--config', config, '--lines'], dir, { HOSTILE: 'random' });
          // Chaos for the first invocations, then (mostly) calm ones so the grid can finish.
          const chaos = invocations <= MAX_INVOCATIONS / 3 && rnd() < 0.8;
          if (chaos) {
            await sleep(300 + rnd() * 3000);
            if (rnd() < 0.25) {
              const second = await startCli(['run', '--config', config, '--lines'], dir, { HOSTILE: 'ok' }).child;
              if (child.exitCode === null) {
                expect(second.exitCode, second.stderr).toBe(1);
                expect(second.stderr).toContain('in use by another emotune run');
                count(faults, 'second emotune on the folder (refused)');
              }
            }
            const what = ['SIGINT', 'SIGINT twice', 'SIGTERM', 'SIGHUP', 'SIGKILL'][Math.floor(rnd() * 5)]!;
            if (child.exitCode === null) {
              count(faults, `emotune ${what}`);
              if (what === 'SIGINT twice') {
                child.kill('SIGINT');
                await sleep(50 + rnd() * 400);
                child.kill('SIGINT');
              } else child.kill(what as NodeJS.Signals);
            }
          }
          const r = await child;
          if (!chaos) {
            // An invocation nobody interrupts ends normally: 0, or 1 when a run of this hostile generator failed.
            expect([0, 1], `${r.stderr}`).toContain(r.exitCode);
            if (r.exitCode === 1) expect(r.stderr).toContain('did not succeed');
          }
          for (const m of (r.stdout as string).matchAll(
            / {2}Status: (✓|✗ TIMEOUT|✗ CANCELLED|✗ \(invalid output|✗ \(code -?\d+)/g,
          ))
            count(statuses, m[1]!);
          if (!existsSync(meta)) continue;
          const recs = JSON.parse(readFileSync(meta, 'utf8')) as Rec[]; // throws (fails) on invalid JSON
          expect(new Set(recs.map((x) => x.id)).size, 'one record per cell').toBe(recs.length);
          for (const rec of recs) {
            if (rec.status !== 'ok') continue;
            const before = done.get(rec.id);
            if (before !== undefined)
              expect(rec.out_dir, `cell ${rec.id} was run again after it was done`).toBe(before);
            done.set(rec.id, rec.out_dir);
          }
          finished = recs.length === CELLS && recs.every((x) => x.status === 'ok' && x.returncode === 0);
        }

        expect(finished, `not finished after ${invocations} invocations`).toBe(true);
        const recs = JSON.parse(readFileSync(meta, 'utf8')) as Rec[];
        expect(recs).toHaveLength(CELLS);
        for (const rec of recs) {
          const check = await checkRunOutputs(rec.out_dir, 1, vocab);
          expect(check.ok, check.reason).toBe(true);
        }
        await expectNoProcessesLeft(dir, 10_000);
        const attempts = Object.values(statuses).reduce((a, b) => a + b, 0);
        const tried = Object.values(faults).reduce((a, b) => a + b, 0);
        console.log(
          `soak: ${CELLS} cells done once each after ${invocations} invocations and ${attempts} reported generator attempts ${JSON.stringify(statuses)}; ` +
            `${tried} faults injected into emotune, all survived ${JSON.stringify(faults)}; 0 processes left`,
        );
      },
      FULL ? 4 * 3600_000 : 600_000,
    );
  },
);
