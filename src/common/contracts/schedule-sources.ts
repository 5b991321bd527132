import { Injectable } from '@nestjs/common';

/** A medicine's dosing schedule as `GET /medicines/{code}/schedules` lists it (SPEC §10). */
export interface ScheduleItem {
  /** The policy version that carries it; null for a schedule that is not a policy's (a compassionate-access scheme). */
  policyVersion: number | null;
  effectiveFrom: string | null;
  schedule: unknown;
}

export type ScheduleSource = (medicine: string) => Promise<ScheduleItem[] | null>;

/**
 * Where dosing schedules live besides policies: a module that keeps a medicine's schedule elsewhere (the
 * compassionate-access schemes of SPEC §9) registers a source in `onModuleInit`; medicines asks them for a
 * medicine with no policy.
 */
@Injectable()
export class ScheduleSources {
  private readonly sources: ScheduleSource[] = [];

  register(source: ScheduleSource): void {
    this.sources.push(source);
  }

  async of(medicine: string): Promise<ScheduleItem[]> {
    for (const source of this.sources) {
      const found = await source(medicine);
      if (found !== null) return found;
    }
    return [];
  }
}
