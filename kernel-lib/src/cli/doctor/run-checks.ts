import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedConfig } from '../../config/load.js';
import type { Word2Event } from '../../formats/types.js';
import { readMeta } from '../../formats/meta.js';
import { readMidi } from '../../formats/midi-read.js';
import { buildGeneratorArgs } from '../../generate/command.js';
import { resolveCommand } from '../../package-paths.js';
import type { PlannedRun, RunPlan } from '../../plan/types.js';
import { checkRunOutputs } from '../../run/check-outputs.js';
import { STDERR_LOG, STDOUT_LOG } from '../../run/local-backend.js';
import { runProcess } from '../../run/process.js';
import { stderrHeadline } from '../../run/failure-lines.js';
import { shQuote } from '../../run/slurm/shell-quote.js';
import { indexOfLabel } from '../../vocab/word2event.js';
import { classifyMidi } from '../../metrics/edge/classifier-process.js';
import type { CheckItem } from './checklist.js';
import { errorMessage } from '../../errors.js';

const CONTRACT = 'docs/generator-contract.md';

/** One planned run per (model, mode), a conditioned one where the grid has it: what the doctor tries. */
export function sampleRuns(plan: RunPlan): PlannedRun[] {
  const picked = new Map<string, PlannedRun>();
  for (const r of plan.runs) {
    const k = `${r.model}\u0000${r.mode}`;
    const prev = picked.get(k);
    if (!prev || (Object.keys(prev.conditions).length === 0 && Object.keys(r.conditions).length > 0)) picked.set(k, r);
  }
  return [...picked.values()];
}

/** The last lines of a stream, without blank ones (what a user needs to see of a crash). */
function lastLines(text: string, n: number): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n);
}

/** What the meta files say beyond what the runner checks: mode, emotion, key and the condition indices. */
async function contractProblems(
  outDir: string,
  run: PlannedRun,
  word2event: Word2Event | undefined,
): Promise<{ fail: string[]; warn: string[]; midi: string[] }> {
  const fail: string[] = [];
  const warn: string[] = [];
  const midi: string[] = [];
  const metas = (await readdir(outDir)).filter((n) => n.endsWith('.meta.json')).sort();
  for (const name of metas) {
    const meta = await readMeta(join(outDir, name));
    midi.push(meta.paths.midi);
    const field = run.mode === 'inference-forced' ? 'force_indices' : 'conditions_indices';
    const indices = run.mode === 'inference-forced' ? meta.force_indices : meta.conditions_indices;
    for (const [token, label] of Object.entries(run.conditions)) {
      const expected = word2event ? indexOfLabel(word2event, token, label) : undefined;
      const got = indices?.[token];
      if (got === undefined) {
        (run.mode === 'inference-forced' ? warn : fail).push(
          `${name}: ${field} has no "${token}" (asked: ${label}${expected !== undefined ? `, index ${expected}` : ''}), so token adherence cannot be measured: write "${field}": {"${token}": ${expected ?? '<index>'}}`,
        );
      } else if (expected !== undefined && got !== expected) {
        fail.push(
          `${name}: ${field}.${token} is ${got}, but ${label} is index ${expected} in the vocabulary: write the index of the requested label`,
        );
      }
      if (!meta.vocab_order.includes(token))
        fail.push(
          `${name}: vocab_order has no "${token}", so its column cannot be found: list every .npy column's token type in order`,
        );
    }
    if (meta.inference_mode !== undefined && meta.inference_mode !== run.mode)
      warn.push(`${name}: inference_mode is ${JSON.stringify(meta.inference_mode)}, the run asked for ${run.mode}`);
    if (meta.emotion_tag !== undefined && meta.emotion_tag !== run.emotion)
      warn.push(`${name}: emotion_tag is ${meta.emotion_tag}, the run asked for ${run.emotion}`);
    if (run.key && meta.key_tag !== undefined && meta.key_tag !== run.key)
      warn.push(`${name}: key_tag is ${JSON.stringify(meta.key_tag)}, the run asked for ${run.key}`);
    const score = await readMidi(meta.paths.midi);
    if (score.notes.length === 0)
      warn.push(`${meta.paths.midi}: no notes, so key and emotion figures mean nothing for it`);
  }
  return { fail, warn, midi };
}

export interface RunCheckResult {
  items: CheckItem[];
  /** A MIDI file a run produced, for the classifier check. */
  midi?: string;
}

/** One short real run per model and mode in `scratch`, each validated against the contract. */
export async function checkGeneratorRuns(
  config: LoadedConfig,
  plan: RunPlan,
  word2eventByModel: Record<string, Word2Event>,
  scratch: string,
): Promise<RunCheckResult> {
  const items: CheckItem[] = [];
  let midi: string | undefined;
  for (const run of sampleRuns(plan)) {
    const model = config.models.find((m) => m.name === run.model)!;
    const id = `run.${run.model}.${run.mode}`;
    const label = `test run ${run.model} / ${run.mode} (emotion ${run.emotion}${run.key ? `, key ${run.key}` : ''}${
      Object.keys(run.conditions).length
        ? `, ${Object.entries(run.conditions)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : ''
    })`;
    const outDir = join(scratch, `${run.out_dir_prefix}doctor`);
    const args = buildGeneratorArgs(config, {
      mode: run.mode,
      model,
      emotion: run.emotion,
      conditions: run.conditions,
      key: run.key,
      outDir,
    });
    const argv = [...resolveCommand(config.generator.command), ...args];
    await mkdir(outDir, { recursive: true });
    const o = await runProcess(argv, {
      cwd: config.generator.cwd,
      timeoutS: config.generator.timeout_s,
      stdoutLog: join(outDir, STDOUT_LOG),
      stderrLog: join(outDir, STDERR_LOG),
    });
    // For the user to paste into a shell (display only: the run itself used the argument array).
    const command = `cd ${shQuote(config.generator.cwd)} && ${argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shQuote(a))).join(' ')}`;
    if (o.spawnError) {
      items.push({
        id,
        status: 'fail',
        title: `${label}: the generator could not start`,
        cause: [o.spawnError],
        fix: 'generator.command[0] must be a program on PATH or a path to an executable',
      });
      continue;
    }
    if (o.timedOut) {
      items.push({
        id,
        status: 'fail',
        title: `${label}: no exit within ${config.generator.timeout_s} s (generator.timeout_s)`,
        cause: lastLines(o.stderr, 5),
        fix: `raise generator.timeout_s if one song takes longer, or find where the generator hangs: ${command}`,
      });
      continue;
    }
    if (o.returncode !== 0) {
      const head = stderrHeadline(o.stderr);
      items.push({
        id,
        status: 'fail',
        title: `${label}: exit code ${o.returncode}${head ? `: ${head}` : ''}`,
        cause: lastLines(o.stderr || o.stdout, 6).filter((l, _, all) => all.length > 1 || l.trim() !== head),
        fix: `fix the error above (full log ${join(outDir, STDERR_LOG)}); to reproduce: ${command}`,
      });
      continue;
    }
    const check = await checkRunOutputs(outDir, config.common_args.num_songs, word2eventByModel[run.model]);
    if (!check.ok) {
      items.push({
        id,
        status: 'fail',
        title: `${label}: exit code 0 but the outputs break the contract`,
        cause: [check.reason ?? 'invalid outputs'],
        fix: `write per song NAME.npy, NAME.mid (or .midi) and NAME.meta.json into --out_dir as ${CONTRACT} describes ("Outputs")`,
      });
      continue;
    }
    let found: Awaited<ReturnType<typeof contractProblems>>;
    try {
      found = await contractProblems(outDir, run, word2eventByModel[run.model]);
    } catch (e) {
      items.push({
        id,
        status: 'fail',
        title: `${label}: the outputs cannot be read`,
        cause: [errorMessage(e)],
        fix: `see ${CONTRACT}, "Outputs"`,
      });
      continue;
    }
    midi ??= found.midi[0];
    if (found.fail.length > 0)
      items.push({
        id,
        status: 'fail',
        title: `${label}: the meta file does not say what was generated`,
        cause: found.fail,
        fix: `see ${CONTRACT}, "NAME.meta.json"`,
      });
    else if (found.warn.length > 0)
      items.push({
        id,
        status: 'warn',
        title: `${label}: outputs valid, with remarks`,
        cause: found.warn,
        fix: `see ${CONTRACT}, "NAME.meta.json"`,
      });
    else
      items.push({
        id,
        status: 'pass',
        title: `${label}: ${check.songs} song(s), outputs valid (${((o.endedAt.getTime() - o.startedAt.getTime()) / 1000).toFixed(1)} s)`,
      });
  }
  return { items, midi };
}

/** The classifier on one MIDI file a test run produced: the lines EmoTune parses must be there. */
export async function checkClassifier(config: LoadedConfig, midi: string | undefined): Promise<CheckItem[]> {
  if (!config.classifier) return [];
  if (!midi)
    return [
      { id: 'classifier.run', status: 'skip', title: 'classifier: not tried (no test run produced a MIDI file)' },
    ];
  const o = await classifyMidi(midi, config.classifier);
  if (o.ok) {
    return [
      {
        id: 'classifier.run',
        status: 'pass',
        title: `classifier: ${midi} is Q${o.emotion}${o.values.length ? ` (inference values ${o.values.join(' ')})` : ''}`,
      },
    ];
  }
  const fix = /is emotion Q/.test(o.reason)
    ? 'print "<file> is emotion Q<n>" (n = 1..4) on stdout and exit 0; "Inference values: [...]" is optional'
    : /time-out/.test(o.reason)
      ? 'raise classifier.timeout_s, or make the classifier faster'
      : `run it by hand to see the error: ${config.classifier.command.map((a) => a.split('{midi}').join(midi)).join(' ')} (in ${config.classifier.cwd})`;
  return [{ id: 'classifier.run', status: 'fail', title: `classifier on ${midi}: ${o.reason}`, fix }];
}
