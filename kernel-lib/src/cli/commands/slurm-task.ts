import type { Command } from 'commander';
import { runSlurmTask } from '../../run/slurm/task.js';
import { UsageError } from '../program.js';

/** Internal: what each Slurm array task runs (`emotune slurm-task <manifest> <index>`); see run/slurm/. */
export function register(program: Command): void {
  program
    .command('slurm-task')
    .description('(used inside Slurm job arrays) run one task of a submission manifest and write its result file')
    .argument('<manifest>', 'the submission manifest (JSON) written by the Slurm backend')
    .argument('<index>', 'array task index (SLURM_ARRAY_TASK_ID)')
    .action(async (manifest: string, index: string) => {
      if (!/^\d+$/.test(index))
        throw new UsageError(`slurm-task: <index> must be a non-negative integer, got ${JSON.stringify(index)}`);
      const r = await runSlurmTask(manifest, Number(index));
      // Slurm shows the task as COMPLETED or FAILED; the full outcome is in the result file.
      process.exitCode = r.returncode === 0 && !r.timed_out && !r.cancelled ? 0 : 1;
    });
}
