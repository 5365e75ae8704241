import { isAbsolute, resolve } from 'node:path';

/**
 * Where a notebook takes its config and experiment folder from. A kernel runs in the notebook's folder, but
 * users write `EMOTUNE_CONFIG=my-config.json jupyter lab` in the folder they start Jupyter from: relative
 * values are taken from that folder. The kernel inherits the server's environment, whose `PWD` is that folder
 * (a process started without a shell keeps its parent's PWD); `EMOTUNE_START_DIR` overrides it.
 */
export interface NotebookPaths {
  /** The config file to load (absolute). */
  configPath: string;
  /** The experiment folder to use instead of the config's `paths.exp`, or undefined to keep `paths.exp`. */
  expDir: string | undefined;
  /** The folder relative values were taken from. */
  startDir: string;
  /** One line saying where each came from, for the notebook's output. */
  explanation: string;
}

export function jupyterStartDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const dir = env.EMOTUNE_START_DIR || env.PWD;
  return dir && isAbsolute(dir) ? dir : cwd;
}

/**
 * `EMOTUNE_CONFIG` (else `defaultConfig`) and `EMOTUNE_EXP`, relative to Jupyter's start folder. Without
 * `EMOTUNE_EXP`, a user's config keeps its own `paths.exp`; the default (demo) config writes to `defaultExp`.
 * @example
 * ```ts
 * const where = et.notebookPaths({ defaultConfig: path.join(et.embeddedDir, "config.json"), defaultExp: path.resolve("experiments", "notebook") });
 * const config = et.withExperimentFolder(await et.loadConfig(where.configPath), where.expDir);
 * ```
 */
export function notebookPaths(opts: {
  defaultConfig: string;
  defaultExp: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): NotebookPaths {
  const env = opts.env ?? process.env;
  const startDir = jupyterStartDir(env, opts.cwd);
  const from = (v: string) => (isAbsolute(v) ? v : resolve(startDir, v));
  const ownConfig = env.EMOTUNE_CONFIG ? from(env.EMOTUNE_CONFIG) : undefined;
  const configPath = ownConfig ?? opts.defaultConfig;
  const expDir = env.EMOTUNE_EXP ? from(env.EMOTUNE_EXP) : ownConfig ? undefined : opts.defaultExp;
  const explanation = [
    ownConfig
      ? `config from EMOTUNE_CONFIG (relative to ${startDir})`
      : 'the default config (set EMOTUNE_CONFIG to use yours)',
    env.EMOTUNE_EXP
      ? `experiment folder from EMOTUNE_EXP (relative to ${startDir})`
      : ownConfig
        ? "experiment folder from the config's paths.exp"
        : 'the default experiment folder (set EMOTUNE_EXP to choose)',
  ].join('; ');
  return { configPath, expDir, startDir, explanation };
}
