/** One line for a failed write: "disk full while writing <file>" for ENOSPC/EDQUOT, else the system's code. */
export function writeErrorMessage(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `disk full while writing ${file}`;
  return `cannot write ${file}: ${code ?? (e as Error | undefined)?.message ?? String(e)}`;
}
