// Small helpers shared by the benchmarks: timing, medians, temporary folders, printed tables.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ s: number; value: T; cpu: number }> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  // cpu: this process's user + system seconds (worker threads included; child processes not).
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, value, cpu: (c.user + c.system) / 1e6 };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} expects a positive number`);
  return v;
}

/** The text after `--<name>`, or undefined when the option is not given. */
export function textArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** A scratch folder removed afterwards (kept with --keep). */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `emotune-bench-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    if (flag('keep')) console.log(`(kept ${dir})`);
    else await rm(dir, { recursive: true, force: true });
  }
}

const GNU_TIME = '/usr/bin/time';

/**
 * Run a command (argument array, no shell); resolves with its wall time and, where GNU time is installed, its
 * CPU time (user + system, its children included), or rejects with its stderr.
 */
export function runCommand(
  argv: string[],
  opts: { cwd?: string } = {},
): Promise<{ s: number; stdout: string; cpu?: number }> {
  const timed = existsSync(GNU_TIME);
  const full = timed ? [GNU_TIME, '-f', 'BENCH-CPU %U %S', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0]!, full.slice(1), { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /BENCH-CPU (\S+) (\S+)\s*$/.exec(err);
      if (code === 0) resolve({ s, stdout: out, cpu: m ? Number(m[1]) + Number(m[2]) : undefined });
      else reject(new Error(`${argv.join(' ')} exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

export function machineLine(): string {
  const c = cpus();
  return `machine: ${c.length} CPU(s) ${c[0]?.model ?? ''}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of cells) console.log(line(r));
}

export const f = (x: number, d = 2) => x.toFixed(d);

/**
 * A row for the README's benchmark table, printed as `README | what | command | result |`; `npx tsx
 * bench/readme-table.ts <outputs...>` rewrites the table from these lines.
 */
export function readmeRow(what: string, command: string, result: string): void {
  console.log(`README | ${what} | \`${command}\` | ${result} |`);
}
