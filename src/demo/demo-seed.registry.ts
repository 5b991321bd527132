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

/** Feature modules add their demo data here (treatments, requests, schemes…), run after the core's. */
@Injectable()
export class DemoSeedRegistry {
  private readonly steps: { order: number; name: string; step: DemoSeedStep }[] = [];

  register(name: string, order: number, step: DemoSeedStep): void {
    this.steps.push({ name, order, step });
  }

  ordered(): { name: string; step: DemoSeedStep }[] {
    return [...this.steps].sort((a, b) => a.order - b.order);
  }
}
