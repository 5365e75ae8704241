import { Command } from 'commander';
import type { GeneratorArgs } from '../../generate/embedded/generator-args.js';
import { runEmbeddedGenerator, type GenerateResult } from '../../generate/embedded/generate-songs.js';

/** main_cp.py's flags on a `generate` command (shared with the in-process runner, which parses the same argv). */
export function generateCommand(name = 'generate'): Command {
  return new Command(name)
    .description("generate CP token songs with the embedded n-gram model; accepts main_cp.py's flags")
    .option('--data_root <dir>', 'folder of the dictionary (default dataset/co-representation)')
    .option('--exp_path <dir>', 'accepted for main_cp.py compatibility; not used')
    .option('--mode <mode>', 'inference-deterministic | inference-primed | inference-forced')
    .option('--task_type <type>', 'emotion task (only 4-cls)')
    .option('--num_songs <n>', 'songs to write (default 1)')
    .option('--emo_tag <q>', 'emotion quadrant 1..4')
    .option('--save_tokens_json <0|1>', 'also write NAME.tokens.json with readable labels')
    .option('--load_ckt <dir>', 'checkpoint folder (default checkpoints)')
    .option(
      '--load_ckt_loss <name>',
      'checkpoint name: loss_<name>_params.json (8 = key-aware scratch, pre = pretrained)',
    )
    .option('--load_dict <file>', 'dictionary pickle under --data_root (train_dictionary.pkl for key-aware)')
    .option(
      '--conditions <json>',
      'song attributes the model conditions on, e.g. {"duration": "Note_Duration_1080"} (deterministic/primed)',
    )
    .option('--force_tokens <json>', 'values every matching step takes (inference-forced)')
    .option('--key_tag <key>', 'key of the song, e.g. A:maj or Bb:min (key-aware models only)')
    .option('--out_dir <dir>', 'output folder')
    .option('--seed <n>', 'sampling seed (default: derived from the musical arguments; every mode samples)')
    .option('--max_steps <n>', 'longest song in CP steps (default 1000)')
    .allowExcessArguments(false);
}

/** The line `emotune generate` prints when it is done. */
export function generatedLine(result: GenerateResult): string {
  return `generated ${result.songs.length} song(s) into ${result.outDir}\n`;
}

/**
 * `emotune generate`: the embedded EMOPIA-trained generator behind main_cp.py's command line, so a
 * config can swap `["python", "main_cp.py"]` for `["emotune", "generate"]` (run in kernel-lib/embedded).
 */
export function register(program: Command): void {
  program.addCommand(
    generateCommand()
      .copyInheritedSettings(program)
      .action(async (opts: GeneratorArgs) => {
        process.stdout.write(generatedLine(await runEmbeddedGenerator(opts)));
      }),
  );
}
