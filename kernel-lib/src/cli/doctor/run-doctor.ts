import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPlan } from '../../plan/build-plan.js';
import { summarize, type CheckItem, type DoctorReport } from './checklist.js';
import { checkClassifier, checkGeneratorRuns } from './run-checks.js';
import { checkCommandsItems, checkConfig, checkPaths, checkVocabularies } from './setup-checks.js';

export interface DoctorOptions {
  /** Keep the test runs' folder (default: removed when everything passed). */
  keep?: boolean;
}

/**
 * Check a setup before a long grid: config, paths, vocabularies, commands, then one short real run per model
 * and mode in a scratch folder, validated against the generator contract, and the classifier on one of
 * the MIDI files produced. Later steps run only when what they need passed.
 */
export async function runDoctor(configFile: string, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const file = resolve(configFile);
  const checks: CheckItem[] = [];
  const { item, config, notes } = await checkConfig(file);
  checks.push(item, ...notes);
  if (!config) return summarize(file, checks);
  const pathItems = checkPaths(config);
  checks.push(...pathItems);
  const vocab = await checkVocabularies(config);
  checks.push(...vocab.items);
  const commandItems = checkCommandsItems(config);
  checks.push(...commandItems);
  const blocked = [...pathItems, ...vocab.items, ...commandItems].some(
    (c) => c.status === 'fail' && !c.id.startsWith('classifier'),
  );
  if (blocked || config.backend === 'slurm') {
    checks.push({
      id: 'run',
      status: 'skip',
      title: blocked
        ? 'test runs: not tried until the failures above are fixed'
        : 'test runs: not tried for the Slurm backend (they would run here, not on the cluster)',
    });
    return summarize(file, checks);
  }
  const plan = buildPlan(config, vocab.word2eventByModel);
  const scratch = await mkdtemp(join(tmpdir(), 'emotune-doctor-'));
  const runs = await checkGeneratorRuns(config, plan, vocab.word2eventByModel, scratch);
  checks.push(...runs.items);
  if (!commandItems.some((c) => c.id === 'classifier.command' && c.status === 'fail'))
    checks.push(...(await checkClassifier(config, runs.midi)));
  const report = summarize(file, checks);
  if (opts.keep || !report.ok) return { ...report, scratch };
  await rm(scratch, { recursive: true, force: true });
  return report;
}
