#!/usr/bin/env node
// The `emotune` command: each subcommand lives in cli/commands/<name>.ts and exports `register`.
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
