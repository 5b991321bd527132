import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every production TypeScript file below `dir` (specs and migrations left out), for specs that walk the code base. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}
