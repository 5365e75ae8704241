import { execa } from 'execa';
import { EmotuneError } from '../../errors.js';
import { parseSacct, parseScontrol, parseSqueue, type TaskState } from './queue-state.js';

/** Thin wrappers over the Slurm client commands, always with argument arrays (no shell). */
export class SlurmClient {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  private run(cmd: string, args: string[], cwd?: string) {
    return execa(cmd, args, { cwd, env: this.env, extendEnv: false, reject: false, stdin: 'ignore', timeout: 60_000 });
  }

  /** `sbatch --parsable [options] <script>` from the submission folder; returns the array's job id. */
  async submit(script: string, cwd: string, options: string[] = []): Promise<string> {
    const r = await this.run('sbatch', ['--parsable', ...options, script], cwd);
    if (r.exitCode !== 0 || r.failed) {
      const why = (r.stderr || r.message || '').trim().split('\n').pop() ?? '';
      throw new EmotuneError(`sbatch could not submit the job array: ${why}`, {
        file: script,
        field: 'slurm',
        code: 'slurm.submit',
      });
    }
    const id = String(r.stdout).trim().split(';')[0] ?? '';
    if (!/^\d+$/.test(id))
      throw new EmotuneError('sbatch did not print a job id', {
        file: script,
        expected: 'a number',
        found: String(r.stdout).slice(0, 60),
        code: 'slurm.submit',
      });
    return id;
  }

  /** Live task states; an empty map once the job has left the queue (or squeue failed). */
  async queue(jobId: string): Promise<Map<number, TaskState>> {
    const r = await this.run('squeue', ['-h', '-r', '-j', jobId, '-t', 'all', '-o', '%K|%T']);
    return r.exitCode === 0 ? parseSqueue(String(r.stdout)) : new Map();
  }

  /** Final states with exit codes: sacct where accounting is on, else scontrol (kept for MinJobAge). */
  async finalStates(jobId: string): Promise<Map<number, TaskState>> {
    const acct = await this.run('sacct', ['-n', '-P', '-X', '-j', jobId, '-o', 'JobID,State,ExitCode']);
    if (acct.exitCode === 0) {
      const m = parseSacct(String(acct.stdout), jobId);
      if (m.size > 0) return m;
    }
    const ctl = await this.run('scontrol', ['-o', 'show', 'job', jobId]);
    return ctl.exitCode === 0 ? parseScontrol(String(ctl.stdout), jobId) : new Map();
  }

  async cancel(jobIds: string[]): Promise<void> {
    if (jobIds.length > 0) await this.run('scancel', jobIds);
  }

  /** The cluster's MaxArraySize (task indices run 0..MaxArraySize-1); Slurm's default 1001 when unknown. */
  async maxArraySize(): Promise<number> {
    const r = await this.run('scontrol', ['show', 'config']);
    const m = r.exitCode === 0 ? /^MaxArraySize\s*=\s*(\d+)/m.exec(String(r.stdout)) : null;
    const n = m ? Number(m[1]) : 1001;
    return n > 0 ? n : 1001;
  }
}
