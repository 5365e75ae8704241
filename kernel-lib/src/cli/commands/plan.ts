import type { Command } from 'commander';
import { buildPlan } from '../../plan/build-plan.js';
import { configurationBanner } from '../../plan/banner.js';
import { prepareRun, stableSuffix, StampClock } from '../../run/prepare.js';
import { pythonRepr } from '../../formats/python-style.js';
import { loadContext, printLines } from '../context.js';

export function register(program: Command): void {
  program
    .command('plan')
    .description("list the runs of an evaluation grid in the reference notebook's order (no process is started)")
    .requiredOption('--config <file>', 'evaluation config (JSON)')
    .option('--exp <dir>', 'experiment folder (overrides paths.exp of the config)')
    .option('--json', 'print the runs as a JSON array (args = the full generator argument array)')
    .action(async (opts: { config: string; exp?: string; json?: boolean }) => {
      const { config, word2eventByModel } = await loadContext(opts.config, { exp: opts.exp });
      const plan = buildPlan(config, word2eventByModel);
      const clock = new StampClock();
      const runs = plan.runs.map((r) =>
        prepareRun(config, r, config.folder_names === 'hash' ? stableSuffix(r) : clock.next()),
      );
      if (opts.json) {
        const out = runs.map((r) => ({
          index: r.index,
          id: r.id,
          model: r.model,
          mode: r.mode,
          emotion: r.emotion,
          key: r.key,
          subset: r.subset,
          conditions: r.conditions,
          out_dir_prefix: r.out_dir_prefix,
          out_dir: r.out_dir,
          args: r.args,
          command: r.argv,
          cwd: r.cwd,
        }));
        process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
        return;
      }
      printLines(configurationBanner(config, plan.total));
      for (const [model, values] of Object.entries(plan.sampled_values))
        printLines([`Sampled values for ${model}: ${pythonRepr(values)}`]);
      for (const r of runs) {
        printLines([
          `[${r.index}/${plan.total}] ${r.model.padEnd(12)} | ${r.mode.padEnd(26)} | emo${r.emotion}${r.key ? ` | key:${r.key}` : ''} | ${pythonRepr(r.conditions)}`,
        ]);
      }
    });
}
