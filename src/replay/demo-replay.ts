import { DEMO_CENTRES, followedPatientsHistory } from '../demo/demo-centres';
import { DEMO_MEDICINES, NULOJIX, NULOJIX_TIMELINE } from '../demo/demo-medicines';
import { withFinessKey } from '../common/domain/finess';
import type { PublishPolicyDto } from '../medicines/dto/policy.dto';
import type { PolicyEntity } from '../medicines/entities/policy.entity';
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
    return row;
  });
}

/** The demo centres with the followed-patient counts the demo seeder loads. */
export function demoReplayCentres(): ReplayCentre[] {
  return DEMO_CENTRES.map((c, i) => ({ finess: withFinessKey(c.body), followed: followedPatientsHistory(c, i).map(({ period, count }) => ({ from: period, count })) }));
}
