#!/usr/bin/env node
// The `emotune` command: each subcommand lives in cli/commands/<name>.ts and exports `register`.
import { runCli } from './program.js';

// `emotune plan | head` closes the pipe early: stop quietly instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
