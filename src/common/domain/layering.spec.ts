import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..');
const FORBIDDEN = [/^@nestjs\//, /^typeorm/, /^bullmq/, /^ioredis/, /^class-validator/, /^class-transformer/, /^express/];

function domainFiles(dir: string, inDomain = false): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...domainFiles(path, inDomain || name === 'domain'));
    else if (inDomain && name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('layering (STYLE.md: domain/ is framework-free)', () => {
  const files = domainFiles(SRC);

  it('finds the domain folders', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('never imports Nest, TypeORM, BullMQ, ioredis, class-validator or express from a domain/ folder', () => {
    const offending: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/from\s+'([^']+)'/g)) {
        const target = match[1]!;
        if (FORBIDDEN.some((re) => re.test(target))) offending.push(`${relative(SRC, file)} imports ${target}`);
        if (target.startsWith('.') && !target.includes('/domain/') && !target.startsWith('./') && !/\/domain\//.test(join(file, '..', target))) {
          offending.push(`${relative(SRC, file)} imports ${target}, outside any domain/ folder`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
