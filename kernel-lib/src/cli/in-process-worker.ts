// A worker thread of the in-process pool (run/in-process/pool.ts loads this file by path): runs `emotune generate` and `emotune classify` as the CLI would,
// returning what the process would have printed and its exit code. Models stay loaded between tasks.
import type { GeneratorArgs } from '../generate/embedded/generator-args.js';
import { keepLoads, runEmbeddedGenerator } from '../generate/embedded/generate-songs.js';
import { generateCommand, generatedLine } from './commands/generate.js';
import { exitCodeFor } from './program.js';
import { loadClassifier } from '../metrics/edge/classifier-file.js';
import { classifyFileWithBuiltin } from '../metrics/edge/builtin-classify-file.js';
import { builtinOutputText } from '../metrics/emotion-command.js';
import type { ClassifyOutput, ClassifyTask, GenerateTask, TaskOutput, WorkerTask } from '../run/in-process/tasks.js';

// Loaded files live as long as this worker (one pool = one evaluation), so a model is read once per thread.
const memo = keepLoads();

async function generate(task: GenerateTask): Promise<TaskOutput> {
  let stdout = '';
  let stderr = '';
  try {
    // The CLI's own option definitions, so the same argv parses the same way (and fails the same way).
    const cmd = generateCommand()
      .exitOverride()
      .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
    cmd.parse(task.args, { from: 'user' });
    const result = await runEmbeddedGenerator(cmd.opts<GeneratorArgs>(), task.cwd, memo);
    stdout += generatedLine(result);
    return { returncode: 0, stdout, stderr };
  } catch (e) {
    return { returncode: exitCodeFor(e, (s) => (stderr += s)), stdout, stderr };
  }
}

async function classify(task: ClassifyTask): Promise<ClassifyOutput> {
  const model = loadClassifier(); // cached by the classifier module after the first call
  const files: ClassifyOutput['files'] = [];
  for (const file of task.files) {
    try {
      const r = await classifyFileWithBuiltin(file, model);
      files.push({ file, returncode: r.ok ? 0 : 1, ...builtinOutputText(r) });
    } catch (e) {
      let stderr = '';
      files.push({ file, returncode: exitCodeFor(e, (s) => (stderr += s)), stdout: '', stderr });
    }
  }
  return { files };
}

export default function run(task: WorkerTask): Promise<TaskOutput | ClassifyOutput> {
  return task.kind === 'generate' ? generate(task) : classify(task);
}
