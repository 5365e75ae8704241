import { execa } from 'execa';
import { cpSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';

/** The built CLI run as a real process, and the parity-sample experiment the CLI tests analyse. */
export const cli = join(repoRoot, 'kernel-lib', 'dist', 'cli', 'main.js');
export const parity = join(repoRoot, 'kernel-lib', 'test', 'fixtures', 'parity-sample');
export const emotune = (args: string[], cwd = repoRoot) =>
  execa(process.execPath, [cli, ...args], { cwd, reject: false, stripFinalNewline: false });

export function requireBuiltCli(): void {
  if (!existsSync(cli)) throw new Error(`build first (npm run build): ${cli} is missing`);
}

/** The parity sample's config, with the Node stand-in for its Python classifier. */
export function paritySampleCopy(): string {
  const dir = tempDir();
  cpSync(parity, dir, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  cfg.classifier.command = [process.execPath, 'classifier.mjs', '{midi}'];
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
  return dir;
}
