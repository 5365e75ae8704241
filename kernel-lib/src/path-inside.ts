import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Whether `child` lies strictly inside the folder `parent` (lexically, both resolved; `..foo` names count as inside). */
export function isInside(parent: string, child: string): boolean {
  // Fast path for what the analysis asks thousands of times: an absolute file path under its folder, no dot segment.
  if (
    isAbsolute(parent) &&
    child.startsWith(parent + sep) &&
    child.length > parent.length + 1 &&
    child[parent.length + 1] !== sep &&
    !child.includes(`${sep}.`, parent.length)
  )
    return true;
  const rel = relative(resolve(parent), resolve(child));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The real path of an existing file or folder (links followed), else the path resolved. */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * `isInside`, or else inside once links are followed: a folder reached through a symbolic link still holds
 * its files. For the analysis, which must not read another experiment's files named by absolute paths (the
 * lexical test first: it needs no system call, and it is what holds for every file the runner wrote).
 */
export function isInsideReal(parent: string, child: string): boolean {
  return isInside(parent, child) || isInside(realOrResolved(parent), realOrResolved(child));
}
