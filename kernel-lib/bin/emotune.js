#!/usr/bin/env node
// The `emotune` command. A committed file, so npm can link it at install time, before the build creates dist/.
// It runs the one-file bundle of the CLI (scripts/bundle-cli.mjs says why); dist/cli/main.js is the same CLI
// module by module.
import '../dist/emotune.mjs';
