import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { dateOf, periodOf } from '../domain/period';

/** The one source of "now": fixed by CONTINGENT_NOW for demos, replays and tests. */
@Injectable()
export class Clock {
  private fixed: Date | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.fixed = config.fixedNow;
  }

  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date();
  }

  /** Moves a fixed clock (tests and replays only). */
  set(instant: Date | null): void {
    this.fixed = instant;
  }

  today(): string {
    return dateOf(this.now());
  }

  period(): string {
    return periodOf(this.now());
  }
}
