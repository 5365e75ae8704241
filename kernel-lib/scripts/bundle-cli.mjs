// Bundles the compiled `emotune` CLI (dist/cli/main.js and everything it imports, dependencies included) into
// one file, dist/emotune.mjs, which bin/emotune.js runs. Why: a process that starts from ~300 separate ES and
// CommonJS modules spends ~0.1 s resolving, reading and linking them before any work; the evaluation starts
// `emotune generate` / `emotune classify` processes when asked to isolate runs, and `emotune analyze` is
// compared with the same analysis in a warm notebook kernel. dist/cli/main.js stays, built by tsc, and runs
// the same code module by module.
//
//   node kernel-lib/scripts/bundle-cli.mjs   (part of `npm run build`)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

await build({
  entryPoints: [`${dist}cli/main.js`],
  outfile: `${dist}emotune.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // tinypool starts its worker threads from a file beside its own module, so it must stay a package.
  external: ['tinypool'],
  // CommonJS dependencies inside an ES module still need `require` for Node's built-in modules.
  banner: {
    js: "import { createRequire as emotuneCreateRequire } from 'node:module'; const require = emotuneCreateRequire(import.meta.url);",
  },
  legalComments: 'eof',
  logLevel: 'warning',
});
