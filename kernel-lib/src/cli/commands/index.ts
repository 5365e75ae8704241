import type { Command } from 'commander';

// One line per subcommand; each module exports `register(program)`.
const registrars: Array<(program: Command) => void> = [];

export function registerAll(program: Command): void {
  for (const register of registrars) register(program);
}
