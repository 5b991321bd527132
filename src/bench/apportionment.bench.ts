/**
 * Benchmark (SPEC §13 Scale, issue 15): apportionment of a pool between centres by carried credit (SPEC §4 rule 4).
 * Ours: apportionQuota (whole levels at once, the last level by one sort). Baseline: the one-at-a-time greedy rule of
 * SPEC §4 (the reference the property test compares with), on the very same input; the run checks both give the same
 * slots. ratio = our rate / the greedy's (apportionments a second).
 * Sizes: BENCH_CENTRES (25000), BENCH_POOL (200000).
 */
import { performance } from 'node:perf_hooks';
import { apportionQuota } from '../allocation/domain/apportionment';
import { greedySlots } from '../allocation/domain/apportionment-reference';
import { peakRssMb, printFigure } from './bench-output';

const CENTRES = Number(process.env.BENCH_CENTRES ?? 25_000);
const POOL = Number(process.env.BENCH_POOL ?? 200_000);

const centres = Array.from({ length: CENTRES }, (_, i) => ({
  finess: String(100_000_000 + i),
  followedPatients: 1 + ((i * 7919) % 3500),
  creditBefore: (((i * 104_729) % 1999) - 999) / 1000,
}));

function timed<T>(run: () => T): { seconds: number; value: T } {
  const started = performance.now();
  const value = run();
  return { seconds: (performance.now() - started) / 1000, value };
}

// ours: median of 5 runs (after a warm-up), the greedy once (it is the slow one).
apportionQuota(POOL, centres);
const ours = Array.from({ length: 5 }, () => timed(() => apportionQuota(POOL, centres))).sort((a, b) => a.seconds - b.seconds)[2]!;
const greedy = timed(() => greedySlots(POOL, centres));
for (const c of ours.value.centres) {
  if (greedy.value.get(c.finess) !== c.slots) throw new Error(`apportionment differs from the greedy rule at ${c.finess}`);
}
printFigure({
  bench: 'apportionment',
  centres: CENTRES,
  pool: POOL,
  seconds: Number(ours.seconds.toFixed(4)),
  baselineSeconds: Number(greedy.seconds.toFixed(3)),
  rate: 1 / ours.seconds,
  baselineRate: 1 / greedy.seconds,
  goal: 'same slots as the greedy rule, near-linear (ms at 25,000 centres)',
  peakRssMb: peakRssMb(),
});
