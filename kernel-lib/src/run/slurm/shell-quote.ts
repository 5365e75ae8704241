/**
 * Quote one word for POSIX sh/bash: single quotes, with embedded single quotes closed, escaped and reopened.
 * Used only for installation paths (Node binary, CLI entry) in the sbatch script; run data never enters
 * the script (tasks read it from the JSON manifest).
 */
export function shQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a shell word cannot contain a NUL character');
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
