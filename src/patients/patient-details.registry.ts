import { Injectable } from '@nestjs/common';
import { Actor } from '../common/domain/roles';

export type PatientDetailsSource = (pseudonym: string, actor: Actor) => Promise<unknown[]>;

/**
 * Other modules add what they know of a patient (treatments, requests, authorisations) to
 * `GET /patients/{pseudonym}` without the patients module depending on them.
 */
@Injectable()
export class PatientDetailsRegistry {
  private readonly sources = new Map<string, PatientDetailsSource>();

  register(name: string, source: PatientDetailsSource): void {
    this.sources.set(name, source);
  }

  async collect(pseudonym: string, actor: Actor): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const [name, source] of this.sources) out[name] = await source(pseudonym, actor);
    return out;
  }
}
