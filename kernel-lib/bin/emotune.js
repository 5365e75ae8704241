#!/usr/bin/env node
// The `emotune` command. A committed file, so npm can link it at install time, before the build creates dist/.
import '../dist/cli/main.js';
