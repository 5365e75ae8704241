/**
 * Issue 13, experiment integrity (items 7 and 8): one run per experiment folder at a time, with stale locks taken
 * over; and a resume that credits earlier outputs only when everything that reached the generator is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseConfig, type LoadedConfig } from '../../src/config/load.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { runPlan } from '../../src/run/run-plan.js';
import { LOCK_FILE, lockExperiment } from '../../src/run/lock.js';
import type { RunRecord } from '../../src/run/types.js';
import type { Word2Event } from '../../src/formats/types.js';
import { EmotuneError } from '../../src/errors.js';
import { fakeGenerator, fixtureVocab, referenceConfig, tempDir } from '../helpers.js';

const vocab = JSON.parse(readFileSync(fixtureVocab('pretrained'), 'utf8')) as Word2Event;
const vocabs = { pretrained: vocab };

function config(dir: string, extra: Record<string, unknown> = {}): LoadedConfig {
  const base = referenceConfig({
    emotions: [1],
    modes: ['inference-primed'],
    max_values_per_token: { duration: 1, velocity: 1 },
    folder_names: 'hash',
    generator: { command: [process.execPath, fakeGenerator], timeout_s: 30 },
    ...extra,
  });
  base.models = (base.models as Array<Record<string, unknown>>)
    .slice(1)
    .map((m) => ({ ...m, ...((extra.model as object) ?? {}) }));
  delete (base as Record<string, unknown>).model;
  return parseConfig(base, dir, join(dir, 'config.json'));
}

async function expectEmotuneError(p: Promise<unknown>): Promise<EmotuneError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(EmotuneError);
  return e as EmotuneError;
}

const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('resume identity (item 8)', () => {
  it('outputs made with another checkpoint, generator command or working directory are not reused, and the count says so', async () => {
    const dir = tempDir();
    const first = await runPlan({
      config: config(dir),
      plan: buildPlan(config(dir), vocabs),
      word2eventByModel: vocabs,
    });
    expect(first.records).toHaveLength(2);
    expect(first.records.every((r) => r.status === 'ok' && typeof r.identity === 'string')).toBe(true);

    const same = await runPlan({
      config: config(dir),
      plan: buildPlan(config(dir), vocabs),
      word2eventByModel: vocabs,
    });
    expect([same.skipped, same.ran, same.changed]).toEqual([2, 0, 0]);

    const otherCheckpoint = config(dir, { model: { load_ckt_loss: '25' } });
    const lines: string[] = [];
    const again = await runPlan({
      config: otherCheckpoint,
      plan: buildPlan(otherCheckpoint, vocabs),
      word2eventByModel: vocabs,
      onLine: (l) => lines.push(l),
    });
    expect([again.skipped, again.ran, again.changed]).toEqual([0, 2, 2]);
    expect(lines.join('\n')).toMatch(
      /Running 2 run\(s\) again: the generator's command, arguments or working directory changed/,
    );

    const otherCommand = config(dir, {
      model: { load_ckt_loss: '25' },
      generator: { command: [process.execPath, '--no-warnings', fakeGenerator], timeout_s: 30 },
    });
    const third = await runPlan({
      config: otherCommand,
      plan: buildPlan(otherCommand, vocabs),
      word2eventByModel: vocabs,
    });
    expect([third.skipped, third.changed]).toEqual([0, 2]);

    const otherCwd = config(dir, {
      model: { load_ckt_loss: '25' },
      generator: { command: [process.execPath, '--no-warnings', fakeGenerator], timeout_s: 30, cwd: tempDir() },
    });
    const fourth = await runPlan({ config: otherCwd, plan: buildPlan(otherCwd, vocabs), word2eventByModel: vocabs });
    expect([fourth.skipped, fourth.changed]).toEqual([0, 2]);
  }, 60_000);

  it('a record without an identity (written before identities) is not trusted', async () => {
    const dir = tempDir();
    const c = config(dir);
    await runPlan({ config: c, plan: buildPlan(c, vocabs), word2eventByModel: vocabs });
    const file = join(c.paths.exp, 'all_runs_metadata.json');
    const recs = JSON.parse(readFileSync(file, 'utf8')) as RunRecord[];
    writeFileSync(file, JSON.stringify(recs.map(({ identity: _, ...r }) => r)));
    const again = await runPlan({ config: c, plan: buildPlan(c, vocabs), word2eventByModel: vocabs });
    expect([again.skipped, again.changed]).toEqual([0, 2]);
  }, 60_000);
});

describe('experiment lock (item 7)', () => {
  it('a second run on a folder in use fails at once, naming the holder; the lock is released afterwards', async () => {
    const dir = tempDir();
    const c = config(dir);
    const held = await lockExperiment(c.paths.exp);
    const e = await expectEmotuneError(runPlan({ config: c, plan: buildPlan(c, vocabs), word2eventByModel: vocabs }));
    expect(e.code).toBe('run.locked');
    expect(e.message).toContain(`in use by another emotune run: pid ${process.pid} on ${hostname()}`);
    await held.release();
    const ok = await runPlan({ config: c, plan: buildPlan(c, vocabs), word2eventByModel: vocabs });
    expect(ok.ran).toBe(2);
    expect(() => readFileSync(join(c.paths.exp, LOCK_FILE))).toThrow(/ENOENT/);
  }, 60_000);

  it('a lock left by a dead process on this host is stale and taken over', async () => {
    const dir = tempDir();
    const c = config(dir);
    const held = await lockExperiment(c.paths.exp);
    const file = join(c.paths.exp, LOCK_FILE);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), pid: deadPid() }));
    const taken = await lockExperiment(c.paths.exp);
    expect(taken.tookOverStale).toBe(true);
    await taken.release();
    await held.release();
  });

  it('a live pid that was reused by another process (other start time) does not hold the lock', async () => {
    const dir = tempDir();
    const c = config(dir);
    await lockExperiment(c.paths.exp);
    const file = join(c.paths.exp, LOCK_FILE);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), start: '1' }));
    const taken = await lockExperiment(c.paths.exp);
    expect(taken.tookOverStale).toBe(true);
    await taken.release();
  });

  it('a lock held on another host is respected (its pid cannot be checked from here)', async () => {
    const dir = tempDir();
    const c = config(dir);
    const held = await lockExperiment(c.paths.exp);
    const file = join(c.paths.exp, LOCK_FILE);
    writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), host: 'elsewhere.example', pid: deadPid() }),
    );
    const e = await expectEmotuneError(lockExperiment(c.paths.exp));
    expect(e.message).toContain('on elsewhere.example');
    await held.release();
  });
});
