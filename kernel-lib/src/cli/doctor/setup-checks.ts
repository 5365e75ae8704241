import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig, unusedTimeoutNote, type LoadedConfig } from '../../config/load.js';
import { commandProblem } from '../../config/commands.js';
import { isEmotuneError, errorMessage } from '../../errors.js';
import type { Word2Event } from '../../formats/types.js';
import { pythonPathJoin } from '../../formats/python-style.js';
import { loadWord2Event } from '../../vocab/word2event.js';
import { buildCandidates } from '../../vocab/candidates.js';
import type { CheckItem } from './checklist.js';

function kindOf(path: string): 'dir' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

/** The config itself: JSON syntax, fields, values. Nothing else can be checked without it. */
export async function checkConfig(
  file: string,
): Promise<{ item: CheckItem; config?: LoadedConfig; notes: CheckItem[] }> {
  let config: LoadedConfig;
  try {
    config = await loadConfig(file, { checkFiles: false });
  } catch (e) {
    return {
      item: {
        id: 'config',
        status: 'fail',
        title: 'config: cannot be used',
        cause: [errorMessage(e)],
        fix: isEmotuneError(e) && e.expected ? `write ${e.expected}` : 'see README.md, "Evaluating your own model"',
      },
      notes: [],
    };
  }
  const notes: CheckItem[] = [];
  try {
    const note = unusedTimeoutNote(
      JSON.parse(readFileSync(config.source_file!, 'utf8')) as Parameters<typeof unusedTimeoutNote>[0],
    );
    if (note)
      notes.push({
        id: 'config.timeout',
        status: 'warn',
        title: `config: ${note}`,
        fix: 'keep generator.timeout_s only',
      });
  } catch {
    /* the file parsed a moment ago */
  }
  const item: CheckItem = {
    id: 'config',
    status: 'pass',
    title: `config: valid (${config.models.length} model(s), ${config.modes.length} mode(s), generator time-out ${config.generator.timeout_s} s)`,
  };
  return { item, config, notes };
}

/** Each path resolved, existing and usable, as the generator will receive it. */
export function checkPaths(config: LoadedConfig): CheckItem[] {
  const items: CheckItem[] = [];
  const dataRoot = pythonPathJoin(config.raw_paths.dataset_root, 'co-representation');
  const root = config.paths.dataset_root;
  if (kindOf(root) !== 'dir') {
    items.push({
      id: 'paths.dataset_root',
      status: 'fail',
      title: `paths.dataset_root: ${root} is not an existing folder`,
      fix: `the folder holding co-representation/ (relative paths are taken from ${config.base_dir})`,
    });
  } else if (kindOf(dataRoot) !== 'dir') {
    items.push({
      id: 'paths.dataset_root',
      status: 'warn',
      title: `paths.dataset_root: the generator receives --data_root ${dataRoot}, which does not exist`,
      fix: 'main_cp.py reads its dictionary from --data_root: create co-representation/ there or point paths.dataset_root at the folder that has it',
    });
  } else {
    items.push({
      id: 'paths.dataset_root',
      status: 'pass',
      title: `paths.dataset_root: the generator receives --data_root ${dataRoot}`,
    });
    for (const [i, m] of config.models.entries()) {
      const dict = join(dataRoot, m.load_dict);
      if (kindOf(dict) === 'missing') {
        items.push({
          id: `models[${i}].load_dict`,
          status: 'warn',
          title: `models[${i}].load_dict: ${dict} does not exist (main_cp.py opens <data_root>/<load_dict>)`,
          fix: `put ${m.load_dict} in ${dataRoot}, or correct models[${i}].load_dict`,
        });
      }
    }
  }
  const cwd = config.generator.cwd;
  items.push(
    kindOf(cwd) === 'dir'
      ? { id: 'generator.cwd', status: 'pass', title: `generator folder: ${cwd}` }
      : {
          id: 'generator.cwd',
          status: 'fail',
          title: `generator folder: ${cwd} is not an existing folder`,
          fix: 'set paths.transformer (or generator.cwd) to the folder that holds main_cp.py',
        },
  );
  const exp = config.paths.exp;
  // The nearest folder that exists must be writable (nothing is created here).
  let existing = exp;
  while (kindOf(existing) === 'missing' && dirname(existing) !== existing) existing = dirname(existing);
  let writable = kindOf(existing) === 'dir';
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    writable = false;
  }
  items.push(
    writable
      ? {
          id: 'paths.exp',
          status: 'pass',
          title: `paths.exp: results go to ${exp}${existing === exp ? '' : ' (to be created)'}; the generator receives --exp_path ${config.raw_paths.exp}`,
        }
      : {
          id: 'paths.exp',
          status: 'fail',
          title: `paths.exp: ${exp} cannot be written (${existing} is ${kindOf(existing) === 'dir' ? 'not writable' : 'not a folder'})`,
          fix: 'choose a folder you can write to (or pass --exp DIR to run/evaluate)',
        },
  );
  return items;
}

/** Every model's vocabulary loads and has what the grid needs. */
export async function checkVocabularies(
  config: LoadedConfig,
): Promise<{ items: CheckItem[]; word2eventByModel: Record<string, Word2Event> }> {
  const items: CheckItem[] = [];
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const [i, m] of config.models.entries()) {
    const field = `models[${i}].word2event_path`;
    let w2e: Word2Event;
    try {
      w2e = await loadWord2Event(m.word2event_path);
    } catch (e) {
      const fix =
        isEmotuneError(e) && e.code.startsWith('pickle.')
          ? `convert it once: npx emotune vocab convert ${m.word2event_path} --out word2event.json, and point ${field} at the JSON`
          : isEmotuneError(e) && e.code === 'vocab.io'
            ? `the path of the model's word2event JSON or dictionary.pkl (relative paths are taken from ${config.base_dir})`
            : 'a word2event JSON {token type: {index: label}} or an (event2word, word2event) dictionary.pkl';
      items.push({
        id: field,
        status: 'fail',
        title: `${field}: vocabulary of ${m.name} cannot be read`,
        cause: [errorMessage(e)],
        fix,
      });
      continue;
    }
    word2eventByModel[m.name] = w2e;
    const missing = config.tokens_of_interest.filter((t) => w2e[t] === undefined);
    const candidates = buildCandidates(w2e, config.tokens_of_interest);
    const empty = config.tokens_of_interest.filter((t) => w2e[t] !== undefined && (candidates[t]?.length ?? 0) === 0);
    const keyLabels = new Set(Object.values(w2e.key ?? {}));
    const unknownKeys = m.key_aware ? config.keys.filter((k) => !keyLabels.has(k)) : [];
    if (missing.length > 0) {
      items.push({
        id: field,
        status: 'fail',
        title: `${field}: the vocabulary of ${m.name} has no token type ${missing.join(', ')} (tokens_of_interest)`,
        fix: `token types in ${m.word2event_path}: ${Object.keys(w2e).join(', ')}`,
      });
    } else if (empty.length > 0) {
      items.push({
        id: field,
        status: 'fail',
        title: `${field}: no condition values for ${empty.join(', ')} in the vocabulary of ${m.name}`,
        fix: 'each token of interest needs labels other than padding, CONTI and Note_Duration_0',
      });
    } else if (m.key_aware && w2e.key === undefined) {
      items.push({
        id: field,
        status: 'warn',
        title: `${field}: ${m.name} is key-aware but its vocabulary has no "key" token type`,
        fix: `set models[${i}].key_aware to false, or use the key-aware model's vocabulary`,
      });
    } else if (unknownKeys.length > 0) {
      items.push({
        id: field,
        status: 'warn',
        title: `${field}: keys ${unknownKeys.join(', ')} are not labels of the "key" token type of ${m.name}`,
        fix: `use key labels of the vocabulary, e.g. ${[...keyLabels]
          .filter((l) => typeof l === 'string')
          .slice(0, 4)
          .join(', ')}`,
      });
    } else {
      items.push({
        id: field,
        status: 'pass',
        title: `${field}: vocabulary of ${m.name} (${Object.keys(w2e).length} token types; ${config.tokens_of_interest.map((t) => `${t}: ${candidates[t]!.length} values`).join(', ')})`,
      });
    }
  }
  return { items, word2eventByModel };
}

/** The generator and classifier commands can start (program found, scripts present). */
export function checkCommandsItems(config: LoadedConfig): CheckItem[] {
  const items: CheckItem[] = [];
  const gen =
    config.backend === 'slurm'
      ? undefined
      : commandProblem(config.generator.command, config.generator.cwd, 'generator.command');
  items.push(
    gen
      ? { id: 'generator.command', status: 'fail', title: `${gen.field}: ${gen.message}: ${gen.found}`, fix: gen.fix }
      : {
          id: 'generator.command',
          status: config.backend === 'slurm' ? 'skip' : 'pass',
          title: `generator.command: ${config.generator.command.join(' ')}${config.backend === 'slurm' ? ' (runs on the cluster: not checked here)' : ''}`,
        },
  );
  if (!config.classifier) {
    items.push({
      id: 'classifier.command',
      status: 'warn',
      title: 'classifier: none configured, so there will be no emotion figures',
      fix: 'add "classifier": {"command": ["emotune", "classify", "{midi}"]} (built in) or your own, see docs/generator-contract.md',
    });
  } else {
    const cls = commandProblem(config.classifier.command, config.classifier.cwd, 'classifier.command');
    items.push(
      cls
        ? {
            id: 'classifier.command',
            status: 'fail',
            title: `${cls.field}: ${cls.message}: ${cls.found}`,
            fix: cls.fix,
          }
        : {
            id: 'classifier.command',
            status: 'pass',
            title: `classifier.command: ${config.classifier.command.join(' ')}`,
          },
    );
  }
  return items;
}
