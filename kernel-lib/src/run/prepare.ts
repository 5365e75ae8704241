import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { PlannedRun } from '../plan/types.js';
import { referenceStamp } from '../plan/folder-name.js';
import { buildGeneratorArgs } from '../generate/command.js';
import { resolveCommand } from '../package-paths.js';
import type { PreparedRun } from './types.js';

/** Hands out the reference notebook's timestamps, never the same one twice (runs can start within the same 100 µs). */
export class StampClock {
  private last = '';
  private bump = 0;
  next(now = new Date()): string {
    let stamp = referenceStamp(now);
    if (stamp <= this.last) {
      this.bump += 100;
      stamp = referenceStamp(now, this.bump);
      if (stamp <= this.last) stamp = bumpStamp(this.last);
    } else this.bump = 0;
    this.last = stamp;
    return stamp;
  }
}

function bumpStamp(stamp: string): string {
  // Increase the 4-digit fraction; overflow is practically impossible within one run of a plan.
  const head = stamp.slice(0, 15);
  const frac = Number(stamp.slice(15)) + 1;
  return `${head}${String(frac).padStart(4, '0')}`;
}

/** A stable suffix for resumable folder names: the same grid cell always gets the same folder. */
export function stableSuffix(run: PlannedRun): string {
  return createHash('sha256').update(run.id).digest('hex').slice(0, 8);
}

/**
 * What a run's outputs depend on, as a hash: the generator command as configured, every argument (the output
 * folder, which differs between attempts, replaced by a placeholder) and the working directory.
 */
export function runIdentity(command: readonly string[], args: readonly string[], outDir: string, cwd: string): string {
  const argv = [...command, ...args.map((a) => (a === outDir ? '{out_dir}' : a))];
  return createHash('sha256').update(JSON.stringify({ argv, cwd })).digest('hex').slice(0, 16);
}

/** Turn a planned run into an executable one: output folder, generator arguments and argv. */
export function prepareRun(config: LoadedConfig, run: PlannedRun, suffix: string): PreparedRun {
  const model = config.models.find((m) => m.name === run.model);
  if (!model) throw new Error(`run ${run.index} names model ${run.model}, which the config does not have`);
  const out_dir = join(config.paths.exp, `${run.out_dir_prefix}${suffix}`);
  const args = buildGeneratorArgs(config, {
    mode: run.mode,
    model,
    emotion: run.emotion,
    conditions: run.conditions,
    key: run.key,
    outDir: out_dir,
  });
  return {
    ...run,
    out_dir,
    args,
    argv: [...resolveCommand(config.generator.command), ...args],
    cwd: config.generator.cwd,
    timeout_s: config.generator.timeout_s,
    identity: runIdentity(config.generator.command, args, out_dir, config.generator.cwd),
  };
}
