import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type LoadedConfig } from '../../src/config/load.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { runPlan } from '../../src/run/run-plan.js';
import type { RunRecord } from '../../src/run/types.js';
import type { Word2Event } from '../../src/formats/types.js';
import { fakeGenerator, fixtureVocab, referenceConfig, tempDir } from '../helpers.js';

const vocabs = {
  scratch: JSON.parse(readFileSync(fixtureVocab('scratch'), 'utf8')) as Word2Event,
  pretrained: JSON.parse(readFileSync(fixtureVocab('pretrained'), 'utf8')) as Word2Event,
};

/** A small grid: pretrained only, 2 emotions x 3 modes x 4 conditions = 24 runs. */
function smallConfig(extra: Record<string, unknown> = {}): LoadedConfig {
  const dir = tempDir();
  const base = referenceConfig({
    emotions: [1, 2],
    generator: { command: [process.execPath, fakeGenerator], timeout_s: 20 },
    ...extra,
  });
  base.models = (base.models as unknown[]).slice(1);
  return parseConfig(base, dir, join(dir, 'config.json'));
}

/** Alive means in the process table and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function gone(pid: number, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
    if (!alive(pid)) return true;
  return !alive(pid);
}

async function withRules<T>(rules: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env.FAKE_GEN_RULES;
  process.env.FAKE_GEN_RULES = rules;
  try {
    return await fn();
  } finally {
    if (old === undefined) delete process.env.FAKE_GEN_RULES;
    else process.env.FAKE_GEN_RULES = old;
  }
}

const metadata = (c: LoadedConfig) =>
  JSON.parse(readFileSync(join(c.paths.exp, 'all_runs_metadata.json'), 'utf8')) as RunRecord[];

describe('runPlan (local backend, real processes)', () => {
  it("records every run in plan order with the reference notebook's fields, timing and logs", async () => {
    const config = smallConfig({ concurrency: 4 });
    const plan = buildPlan(config, vocabs);
    const result = await runPlan({ config, plan, word2eventByModel: vocabs });
    expect(result.records.map((r) => r.index)).toEqual(plan.runs.map((r) => r.index));
    const saved = metadata(config);
    expect(saved).toHaveLength(24);
    const first = saved[0]!;
    expect(first).toMatchObject({
      model: 'pretrained',
      mode: 'inference-deterministic',
      emotion: 1,
      key: null,
      subset: ['duration'],
      conditions: { duration: 'Note_Duration_1080' },
      returncode: 0,
      status: 'ok',
      stderr: '',
    });
    expect(first.stdout).toMatch(/^generated 1 song\(s\) into /);
    expect(first.out_dir).toMatch(/pretrained_inference-deterministic_duration_emo1_dur1080_\d{8}-\d{10}$/);
    expect(first.duration_s).toBeGreaterThan(0);
    expect(existsSync(join(first.out_dir, 'emotune.stdout.log'))).toBe(true);
    expect(new Set(saved.map((r) => r.out_dir)).size).toBe(24);
  });

  it('keeps a crash and a non-zero exit as failed records without losing the others', async () => {
    const config = smallConfig();
    const plan = buildPlan(config, vocabs);
    const result = await withRules('emo2/inference-primed:crash', () =>
      runPlan({ config, plan, word2eventByModel: vocabs }),
    );
    const failed = result.records.filter((r) => r.returncode !== 0);
    expect(failed).toHaveLength(4);
    for (const r of failed) {
      expect(r).toMatchObject({
        emotion: 2,
        mode: 'inference-primed',
        returncode: 1,
        status: 'failed',
        reason: 'exit code 1',
      });
      expect(r.stderr).toContain('CUDA out of memory');
    }
    expect(metadata(config).filter((r) => r.status === 'ok')).toHaveLength(20);
  });

  it('kills a hung generator and its whole process tree at the time-out', async () => {
    const config = smallConfig({
      emotions: [1],
      modes: ['inference-primed'],
      tokens_of_interest: ['duration'],
      max_values_per_token: { duration: 1 },
      generator: { command: [process.execPath, fakeGenerator], timeout_s: 1.5 },
    });
    const plan = buildPlan(config, vocabs);
    const result = await withRules('emo1:spawn-child', () => runPlan({ config, plan, word2eventByModel: vocabs }));
    const rec = result.records[0]!;
    expect(rec).toMatchObject({ returncode: -1, stdout: '', stderr: 'TIMEOUT', status: 'timeout' });
    const log = readFileSync(join(rec.out_dir, 'emotune.stdout.log'), 'utf8');
    const grandchild = Number(/grandchild (\d+)/.exec(log)![1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await gone(grandchild)).toBe(true);
  });

  it('records outputs that are missing or unreadable as invalid, naming the file', async () => {
    const config = smallConfig({
      emotions: [1, 2, 3, 4],
      modes: ['inference-primed'],
      tokens_of_interest: ['duration'],
      max_values_per_token: { duration: 1 },
    });
    const plan = buildPlan(config, vocabs);
    const result = await withRules('emo1:no-files,emo2:truncated-npy,emo3:meta-outside,emo4:unknown-token', () =>
      runPlan({ config, plan, word2eventByModel: vocabs }),
    );
    const garbage = smallConfig({
      emotions: [1],
      modes: ['inference-primed'],
      tokens_of_interest: ['duration'],
      max_values_per_token: { duration: 1 },
    });
    const g = await withRules('emo1:garbage-midi', () =>
      runPlan({ config: garbage, plan: buildPlan(garbage, vocabs), word2eventByModel: vocabs }),
    );
    expect(g.records[0]).toMatchObject({ returncode: 0, status: 'invalid' });
    expect(g.records[0]!.reason).toMatch(/\.mid/);
    const byEmo = Object.fromEntries(result.records.map((r) => [r.emotion, r]));
    for (const r of result.records) expect(r).toMatchObject({ returncode: 0, status: 'invalid' });
    expect(byEmo[1]!.reason).toMatch(/no \.meta\.json/);
    expect(byEmo[2]!.reason).toMatch(/\.npy/);
    expect(byEmo[3]!.reason).toMatch(/outside the run folder/);
    expect(byEmo[4]!.reason).toMatch(/mystery/);
  });

  it('keeps hostile labels as data: no shell, no folder outside the experiment', async () => {
    const hostile = ['Note_Duration_$(touch pwned)', 'Note_Duration_; rm -rf ~', 'Note_Duration_x/../../../escape'];
    // Indices 4..17 exist (the fake generator writes them; outputs naming unknown indices are invalid) but are no candidates.
    const filler = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [String(i + 4), 'CONTI']));
    const w2e: Word2Event = {
      ...vocabs.pretrained,
      duration: { '0': 0, '1': hostile[0]!, '2': hostile[1]!, '3': hostile[2]!, ...filler },
    };
    const config = smallConfig({
      emotions: [1],
      modes: ['inference-primed'],
      tokens_of_interest: ['duration'],
      max_values_per_token: { duration: 3 },
    });
    const plan = buildPlan(config, { pretrained: w2e });
    expect(plan.runs.map((r) => r.conditions.duration)).toEqual([...hostile].sort());
    const result = await runPlan({ config, plan, word2eventByModel: { pretrained: w2e } });
    const { readdirSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    for (const r of result.records) {
      expect(r.status).toBe('ok');
      expect(dirname(r.out_dir)).toBe(config.paths.exp);
    }
    // Only the experiment folder was written beside the config, and no command in a label ran.
    expect(readdirSync(dirname(config.paths.exp)).sort()).toEqual(['exp']);
    expect(readdirSync(config.paths.exp).filter((n) => n.includes('pwned') && !n.startsWith('pretrained_'))).toEqual(
      [],
    );
    expect(existsSync(join(config.generator.cwd, 'pwned'))).toBe(false);
    expect(readdirSync(join(config.paths.exp, '..', '..')).filter((n) => n.startsWith('escape'))).toEqual([]);
  });

  it('records a generator that cannot start', async () => {
    const config = smallConfig({
      emotions: [1],
      modes: ['inference-primed'],
      tokens_of_interest: ['duration'],
      max_values_per_token: { duration: 1 },
      generator: { command: ['/nonexistent/python'], timeout_s: 5 },
    });
    const result = await runPlan({ config, plan: buildPlan(config, vocabs) });
    expect(result.records[0]).toMatchObject({ returncode: -3, status: 'failed' });
    expect(result.records[0]!.reason).toMatch(/could not start/);
  });

  it('resumes: a re-run does only what failed, and --rerun-failed retries failures only', async () => {
    const config = smallConfig({ folder_names: 'hash' });
    const plan = buildPlan(config, vocabs);
    const first = await withRules('emo2/inference-forced:crash', () =>
      runPlan({ config, plan, word2eventByModel: vocabs }),
    );
    expect(first.records.filter((r) => r.status === 'failed')).toHaveLength(4);
    const okDirs = first.records.filter((r) => r.status === 'ok').map((r) => r.out_dir);
    const second = await runPlan({ config, plan, word2eventByModel: vocabs, rerunFailed: true });
    expect(second.ran).toBe(4);
    expect(second.skipped).toBe(20);
    expect(second.records.every((r) => r.status === 'ok')).toBe(true);
    expect(second.records.filter((r) => r.status === 'ok').map((r) => r.out_dir)).toEqual(
      expect.arrayContaining(okDirs),
    );
    const third = await runPlan({ config, plan, word2eventByModel: vocabs });
    expect(third.ran).toBe(0);
    expect(third.skipped).toBe(24);
  });

  it('redoes a run whose outputs were damaged after it finished', async () => {
    const config = smallConfig({ emotions: [1], modes: ['inference-primed'] });
    const plan = buildPlan(config, vocabs);
    const first = await runPlan({ config, plan, word2eventByModel: vocabs });
    const victim = first.records[1]!;
    const { readdirSync, writeFileSync } = await import('node:fs');
    const npy = readdirSync(victim.out_dir).find((f) => f.endsWith('.npy'))!;
    writeFileSync(join(victim.out_dir, npy), 'garbage');
    const second = await runPlan({ config, plan, word2eventByModel: vocabs });
    expect(second.ran).toBe(1);
    expect(second.records[1]!.status).toBe('ok');
  });

  it('cancels: no new runs start, running ones are killed and recorded, metadata stays consistent', async () => {
    const config = smallConfig({ concurrency: 2 });
    const plan = buildPlan(config, vocabs);
    const controller = new AbortController();
    let starts = 0;
    const result = await withRules('emo1:hang', () =>
      runPlan({
        config,
        plan,
        word2eventByModel: vocabs,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'start' && ++starts === 2) setTimeout(() => controller.abort(), 200);
        },
      }),
    );
    expect(result.cancelled).toBe(true);
    const saved = metadata(config);
    expect(saved.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(saved.every((r) => r.returncode === -2)).toBe(true);
  });
});
