import { DEMO_CENTRES } from '../demo/demo-centres';
import { DEMO_MEDICINES, NULOJIX, NULOJIX_TIMELINE } from '../demo/demo-medicines';
import { withFinessKey } from '../establishments/domain/finess';
import type { PublishPolicyDto } from '../medicines/dto/policy.dto';
import { PolicyEntity } from '../medicines/entities/policy.entity';
import { buildPolicy } from '../medicines/policies.service';
import { ReplayCentre, ReplayPolicy } from './domain/replay-model';

/** Medicines the replay knows: those with a demo timeline (SPEC §3). */
export const DEMO_TIMELINES: Record<string, PublishPolicyDto[]> = { [NULOJIX]: NULOJIX_TIMELINE };

export function medicineIndications(code: string): string[] {
  return DEMO_MEDICINES.find((m) => m.code === code)?.indications.map((i) => i.code) ?? [];
}

/**
 * Policy versions as the app stores them: each draft goes through `buildPolicy`, the function
 * that publishes a version, so defaults (committee, unusedQuota…) are the app's own.
 */
export function replayPolicies(code: string, drafts: readonly PublishPolicyDto[]): ReplayPolicy[] {
  let previous: PolicyEntity | undefined;
  return drafts.map((dto, index) => {
    const row = buildPolicy(code, index + 1, dto, previous, '1970-01-01T00:00:00.000Z', 'replay');
    previous = row;
    return {
      version: row.version,
      effectiveFrom: row.effectiveFrom,
      mode: row.mode,
      monthlyCap: row.monthlyCap,
      quotaPool: row.quotaPool,
      indications: row.indications,
      unusedQuota: row.unusedQuota,
      redistribute: row.redistribute,
      votesRequired: row.votesRequired,
      deadlineHours: row.deadlineHours,
    };
  });
}

/**
 * The demo centres with the followed-patient counts the demo seeder loads: the 2022 counts, then
 * the same slow drift each January (±1–3 % a year).
 */
export function demoReplayCentres(): ReplayCentre[] {
  return DEMO_CENTRES.map((c, i) => {
    const drift = c.followedPatients === 0 ? 0 : Math.round(c.followedPatients * (((i % 5) - 1) / 100));
    return {
      finess: withFinessKey(c.body),
      followed: [
        { from: '2022-01', count: c.followedPatients },
        { from: '2023-01', count: c.followedPatients + drift },
        { from: '2024-01', count: c.followedPatients + 2 * drift },
      ],
    };
  });
}
