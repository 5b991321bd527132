import { readFile } from 'node:fs/promises';
import { isPeriod, periodRange } from '../common/domain/period';
import { Result, fail, ok } from '../common/domain/result';
import type { PublishPolicyDto } from '../medicines/dto/policy.dto';
import { checkPolicyDraft } from '../medicines/domain/policy-rules';
import { DEMO_TIMELINES, demoReplayCentres, medicineIndications, replayPolicies } from './demo-replay';
import { REPLAY_FORMATS, ReplayFormat, formatRows } from './domain/replay-format';
import { ReplayFile, parseReplayFile } from './domain/replay-input';
import { MonthPlan, ReplayCentre } from './domain/replay-model';
import { replayTimeline } from './domain/replay';
import { stockCaps, withStockCaps } from './domain/replay-supply';
import { demoPlans, expandPlans } from './domain/request-stream';

export interface ReplayOptions {
  medicine?: string;
  from?: string;
  to?: string;
  input?: string;
  format?: string;
  seed?: string | number;
}

/** Longest replay accepted: 50 years of periods. */
const MAX_PERIODS = 600;

/** A file's problems, one per line, each with its JSON path. */
function describeProblems(file: string, problems: readonly { path: string; reason: string }[]): string {
  const shown = problems.slice(0, 20).map((p) => `  ${p.path.startsWith('$') ? p.path : `$.${p.path}`}: ${p.reason}`);
  const more = problems.length > shown.length ? [`  … and ${problems.length - shown.length} more`] : [];
  return [`${file} is not a valid replay file:`, ...shown, ...more].join('\n');
}

async function loadFile(path: string, knownCentres: readonly string[]): Promise<Result<ReplayFile, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    const code = (error as { code?: string }).code;
    return fail(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'read error')}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error: unknown) {
    return fail(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseReplayFile(raw, knownCentres);
  return parsed.ok ? parsed : fail(describeProblems(path, parsed.error));
}

/**
 * The replay command's work (SPEC §12): checks the options, loads the policies (the demo timeline
 * or the file's), the centres and the request stream (the seeded demo stream or the file's
 * plans), replays them, and returns the formatted period table, or a message for bad input.
 */
export async function runReplay(options: ReplayOptions): Promise<Result<string, string>> {
  const format = (options.format ?? 'table').toLowerCase();
  if (!REPLAY_FORMATS.includes(format as ReplayFormat)) return fail(`unknown format ${options.format} (expected one of ${REPLAY_FORMATS.join(', ')})`);
  let seed = 1;
  if (options.seed !== undefined) {
    const s = String(options.seed);
    if (!/^\d{1,10}$/.test(s) || Number(s) > 2 ** 32 - 1) return fail(`--seed must be an integer from 0 to ${2 ** 32 - 1}, not ${s}`);
    seed = Number(s);
  }

  const demoCentres = demoReplayCentres();
  let file: ReplayFile | null = null;
  if (options.input !== undefined) {
    const loaded = await loadFile(options.input, demoCentres.map((c) => c.finess));
    if (!loaded.ok) return loaded;
    file = loaded.value;
    if (file.seed !== undefined) seed = file.seed;
  }

  const known = Object.keys(DEMO_TIMELINES);
  const asked = options.medicine ?? file?.medicine;
  if (asked === undefined) return fail(`--medicine is required (known: ${known.join(', ')})`);
  const medicine = asked.trim().toUpperCase();
  if (file?.medicine !== undefined && options.medicine !== undefined && file.medicine.trim().toUpperCase() !== medicine) {
    return fail(`--medicine ${options.medicine} does not match the file's medicine ${file.medicine}`);
  }
  const timeline = DEMO_TIMELINES[medicine];
  if (!timeline) return fail(`unknown medicine ${asked} (known: ${known.join(', ')})`);

  let drafts: PublishPolicyDto[] = timeline;
  if (file?.policies) {
    const problems: { path: string; reason: string }[] = [];
    const published: { version: number; effectiveFrom: string }[] = [];
    file.policies.forEach((draft, i) => {
      const checked = checkPolicyDraft(draft, medicineIndications(medicine), published, '0000-01-01');
      if (!checked.ok) for (const e of checked.error.errors) problems.push({ path: `$.policies[${i}].${e.field}`, reason: e.reason });
      published.push({ version: i + 1, effectiveFrom: draft.effectiveFrom });
    });
    if (problems.length > 0) return fail(describeProblems(options.input ?? 'the file', problems));
    drafts = file.policies;
  }
  if (file?.supply) {
    const { caps, problems } = stockCaps(file.supply, drafts);
    if (problems.length > 0) return fail(describeProblems(options.input ?? 'the file', problems));
    drafts = withStockCaps(drafts, caps);
  }
  const policies = replayPolicies(medicine, drafts);
  const centres: ReplayCentre[] = file?.centres ?? demoCentres;

  const filePeriods = file ? [...file.periods.map((p) => p.period)].sort() : [];
  const from = options.from ?? filePeriods[0];
  const to = options.to ?? filePeriods[filePeriods.length - 1];
  if (from === undefined) return fail('--from is required (a period YYYY-MM)');
  if (to === undefined) return fail('--to is required (a period YYYY-MM)');
  if (!isPeriod(from)) return fail(`--from must be a period YYYY-MM, not ${from}`);
  if (!isPeriod(to)) return fail(`--to must be a period YYYY-MM, not ${to}`);
  if (from > to) return fail(`--from ${from} is after --to ${to}`);
  if (periodRange(from, to).length > MAX_PERIODS) return fail(`--from ${from} to --to ${to} spans more than ${MAX_PERIODS} periods`);

  const plans: MonthPlan[] = file ? file.periods.filter((p) => p.period >= from && p.period <= to) : demoPlans(from, to, seed);
  const events = expandPlans(plans, { policies, centres, seed });
  const rows = replayTimeline({ medicine, policies, centres, events, from, to });
  if (!rows.ok) return rows;
  return ok(formatRows(rows.value, format as ReplayFormat));
}
