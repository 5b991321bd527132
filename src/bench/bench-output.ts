/** One JSON line per benchmark figure (issue 15): sizes, rate, baselineRate, ratio = rate / baselineRate (higher is better), goal, peakRssMb. */
export interface Figure {
  bench: string;
  rate: number;
  baselineRate: number;
  /** A ratio to reach (e.g. 0.8), or a sentence when the goal is more than a ratio. */
  goal: string | number;
  peakRssMb: number;
  [size: string]: string | number | boolean | Record<string, number> | undefined;
}

/** The process's peak resident set so far, in MB (getrusage's maxrss, which Node reports in kB). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function printFigure(figure: Figure): void {
  const { bench, rate, baselineRate, goal, peakRssMb: rss, ...sizes } = figure;
  const line = { bench, ...sizes, rate: round(rate), baselineRate: round(baselineRate), ratio: round(rate / baselineRate), goal, peakRssMb: rss };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
