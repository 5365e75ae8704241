// The parity-sample experiment (fixtures/parity-sample) as analysis inputs, for tests that analyse it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunLike } from '../../src/aggregate/rows.js';
import type { Word2Event } from '../../src/formats/types.js';

export const paritySampleDir = fileURLToPath(new URL('../fixtures/parity-sample/', import.meta.url));

export function paritySample() {
  const json = (p: string) => JSON.parse(readFileSync(join(paritySampleDir, p), 'utf8'));
  const config = json('config.json');
  const word2eventByModel: Record<string, Word2Event> = {};
  for (const m of config.models) word2eventByModel[m.name] = json(m.word2event_path);
  const runs: RunLike[] = json('exp/all_runs_metadata.json');
  return {
    expDir: join(paritySampleDir, 'exp'),
    runs,
    word2eventByModel,
    /** The built-in classifier, as the main job's config names it. */
    classifier: { command: ['emotune', 'classify', '{midi}'], cwd: paritySampleDir, timeout_s: 60 },
  };
}
