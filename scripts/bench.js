#!/usr/bin/env node
/**
 * `npm run bench`: builds once, runs every `bench:*` script of package.json one after the other
 * (sizes from the environment: BENCH_LINES, BENCH_CENTRES, …) and prints one summary table of the
 * JSON figures they print (bench, sizes, rate, baselineRate, ratio = rate / baselineRate, goal, peakRssMb).
 * A bench that fails is reported in the table and makes the exit code 1.
 * BENCH_ONLY=apportionment,recaps runs only those; BENCH_SKIP_BUILD=1 reuses dist/.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((n) => `bench:${n.trim()}`)) : null;
const names = Object.keys(scripts).filter((n) => n.startsWith('bench:') && (!only || only.has(n))).sort();

if (!process.env.BENCH_SKIP_BUILD) execFileSync('npx', ['nest', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

const figures = [];
let failed = false;
for (const name of names) {
  const direct = /node (dist\/bench\/\S+\.js)/.exec(scripts[name]);
  const [command, args] = direct ? [process.execPath, [direct[1]]] : ['npm', ['run', '--silent', name]];
  process.stderr.write(`${name} …\n`);
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  for (const line of (run.stdout ?? '').split('\n')) {
    process.stdout.write(line ? `${line}\n` : '');
    if (!line.startsWith('{')) continue;
    try {
      const figure = JSON.parse(line);
      if (figure.bench) figures.push({ script: name, ...figure });
    } catch {
      // not a figure line
    }
  }
  if (run.status !== 0) {
    failed = true;
    figures.push({ script: name, bench: `${name} FAILED (exit ${run.status})` });
  }
}

const SIZE_KEYS = new Set(['script', 'bench', 'rate', 'baselineRate', 'ratio', 'goal', 'peakRssMb']);
const rows = figures.map((f) => ({
  bench: f.bench,
  sizes: Object.entries(f)
    .filter(([k, v]) => !SIZE_KEYS.has(k) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'))
    .map(([k, v]) => `${k}=${v}`)
    .join(' '),
  rate: f.rate ?? '',
  baselineRate: f.baselineRate ?? '',
  ratio: f.ratio ?? '',
  peakRssMb: f.peakRssMb ?? '',
  goal: f.goal ?? '',
}));
const columns = ['bench', 'sizes', 'rate', 'baselineRate', 'ratio', 'peakRssMb', 'goal'];
const width = Object.fromEntries(columns.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
const line = (r) => columns.map((c) => String(r[c]).padEnd(width[c])).join(' | ');
process.stdout.write(`\n${line(Object.fromEntries(columns.map((c) => [c, c])))}\n${columns.map((c) => '-'.repeat(width[c])).join('-|-')}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.exit(failed ? 1 : 0);
