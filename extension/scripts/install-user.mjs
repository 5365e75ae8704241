#!/usr/bin/env node
/**
 * Install for a user's own JupyterLab (4.x), without pip:
 *   - the prebuilt extension (extension/labextension) into <data-dir>/labextensions/@emotune/jupyterlab-ext
 *   - with --kernelspec, a tslab kernelspec at <data-dir>/kernels/tslab/kernel.json that runs tslab by absolute path
 *     (tslab's own `tslab install` needs IPython; a hand-written kernel.json does not).
 * <data-dir> is --data-dir, else $JUPYTER_DATA_DIR, else Jupyter's default for the platform (`jupyter --data-dir`).
 *
 *   node extension/scripts/install-user.mjs [--data-dir DIR] [--kernelspec] [--tslab /abs/path/to/tslab] [--uninstall]
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, '..');
const args = process.argv.slice(2);
const known = new Set(['--data-dir', '--kernelspec', '--tslab', '--uninstall', '--help', '-h']);
for (const [i, a] of args.entries()) {
  const prev = args[i - 1];
  if (a.startsWith('-') && !known.has(a)) {
    console.error(`install-user: unknown option ${a} (see --help)`);
    process.exit(2);
  }
  if (!a.startsWith('-') && prev !== '--data-dir' && prev !== '--tslab') {
    console.error(`install-user: unexpected argument ${a} (see --help)`);
    process.exit(2);
  }
}
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'usage: node extension/scripts/install-user.mjs [--data-dir DIR] [--kernelspec] [--tslab /abs/path/to/tslab] [--uninstall]',
  );
  console.log(
    'Copies the prebuilt extension (and with --kernelspec a tslab kernelspec) into your Jupyter data directory.',
  );
  process.exit(0);
}
const flag = (name) => args.includes(`--${name}`);
const value = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

function defaultDataDir() {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (platform() === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}

function fail(message) {
  console.error(`install-user: ${message}`);
  process.exit(1);
}

const dataDir = resolve(value('data-dir') ?? defaultDataDir());
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const target = join(dataDir, 'labextensions', ...pkg.name.split('/'));

if (flag('uninstall')) {
  rmSync(target, { recursive: true, force: true });
  console.log(`removed ${target}`);
  process.exit(0);
}

const built = join(pkgDir, pkg.jupyterlab.outputDir);
if (!existsSync(join(built, 'package.json')))
  fail(`${built}/package.json is missing: run \`npm run build:labextension -w extension\` first`);
rmSync(target, { recursive: true, force: true });
mkdirSync(dirname(target), { recursive: true });
cpSync(built, target, { recursive: true });
// JupyterLab shows install.json's hints in its extension manager.
cpSync(join(pkgDir, 'install.json'), join(target, 'install.json'));
console.log(`extension: ${target}`);

if (flag('kernelspec')) {
  let tslab = value('tslab');
  if (!tslab) {
    try {
      tslab = join(dirname(createRequire(import.meta.url).resolve('tslab/package.json')), 'bin', 'tslab');
    } catch {
      fail('cannot find the tslab package; install it (npm install tslab) or pass --tslab /abs/path/to/tslab');
    }
  }
  tslab = resolve(tslab);
  if (!existsSync(tslab)) fail(`tslab binary not found at ${tslab}`);
  const dir = join(dataDir, 'kernels', 'tslab');
  mkdirSync(dir, { recursive: true });
  // Without --tslab: kernel-lib's tslab starter, which adds the error's name and message to a failed cell's
  // reply (plain tslab leaves nbconvert showing only "<Error>:").
  let starter;
  try {
    starter = value('tslab')
      ? undefined
      : join(
          dirname(createRequire(import.meta.url).resolve('@emotune/kernel-lib/package.json')),
          'bin',
          'tslab-kernel.cjs',
        );
  } catch {
    starter = undefined;
  }
  const argv = starter && existsSync(starter) ? [process.execPath, starter] : [tslab];
  const spec = {
    argv: [...argv, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
  };
  writeFileSync(join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  console.log(`kernelspec: ${join(dir, 'kernel.json')}`);
}
// A data directory other than Jupyter's own is searched only when JUPYTER_PATH names it: say so, with the line.
const searched = [defaultDataDir(), ...(process.env.JUPYTER_PATH ?? '').split(':').filter(Boolean)].map((d) =>
  resolve(d),
);
if (searched.includes(dataDir)) {
  console.log(`Jupyter finds ${dataDir} without further set-up.`);
} else {
  console.log(`Jupyter does not look in ${dataDir} by itself. In the shell that starts Jupyter, first run:`);
  console.log(`  export JUPYTER_PATH=${dataDir}\${JUPYTER_PATH:+:$JUPYTER_PATH}`);
}
console.log('check with: jupyter labextension list   (and: jupyter kernelspec list)');
