import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface DemoContext {
  /** FINESS of every demo centre, in order. */
  centres: string[];
  /** Pseudonyms of the demo patients registered at each centre. */
  patientsByCentre: Map<string, string[]>;
  now: Date;
}

export type DemoSeedStep = (manager: EntityManager, context: DemoContext) => Promise<void>;
/** A step run once the seeding transaction has committed, through the modules' own use cases (e.g. a reconciliation run). */
export type DemoAfterStep = (context: DemoContext) => Promise<void>;

/** Feature modules add their demo data here (treatments, requests, schemes…), run after the core's. */
@Injectable()
export class DemoSeedRegistry {
  private readonly steps: { order: number; name: string; step: DemoSeedStep }[] = [];
  private readonly after: { name: string; step: DemoAfterStep }[] = [];

  register(name: string, order: number, step: DemoSeedStep): void {
    this.steps.push({ name, order, step });
  }

  /** Runs `step` after the demo data is committed (in registration order). */
  registerAfter(name: string, step: DemoAfterStep): void {
    this.after.push({ name, step });
  }

  ordered(): { name: string; step: DemoSeedStep }[] {
    return [...this.steps].sort((a, b) => a.order - b.order);
  }

  afterSteps(): { name: string; step: DemoAfterStep }[] {
    return [...this.after];
  }
}
