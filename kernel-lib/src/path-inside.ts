import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Whether `child` lies strictly inside the folder `parent` (lexically, both resolved; `..foo` names count as inside). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(resolve(parent), resolve(child));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
