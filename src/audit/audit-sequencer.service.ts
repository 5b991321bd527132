import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { chainAllPending } from './audit-chainer';

/** How often the sequencer looks for events committed outside a UnitOfWork run or by an instance that died. */
const SWEEP_MS = 1000;

/**
 * The audit sequencer (issue 15, as transparency logs integrate entries): writers append events
 * without a lock, and this chains them in order right after their transaction commits. Calls
 * coalesce: while a pass runs, every caller waits for one more pass that starts after it, so a
 * caller's committed events are chained when its flush() resolves. On start it chains whatever was
 * left unchained (a crash between commit and chaining), then sweeps every second.
 */
@Injectable()
export class AuditSequencer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditSequencer.name);
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly unitOfWork: UnitOfWork) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.flush();
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.logger.error(`audit events could not be chained: ${(error as Error).message}`));
    }, SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([this.current, this.next]);
  }

  /** Chains every event committed before this call; never call it inside a UnitOfWork transaction. */
  flush(): Promise<void> {
    if (!this.current) {
      this.current = this.pass().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.flush();
      });
    return this.next;
  }

  private async pass(): Promise<void> {
    if (this.stopped) return;
    await chainAllPending((work) => this.unitOfWork.run(work));
  }
}
