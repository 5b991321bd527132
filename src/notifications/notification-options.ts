import { Injectable } from '@nestjs/common';
import { SMTP_TIMEOUT_MS } from './mailer';

/** How deliveries are held and retried; a test may lower them. */
@Injectable()
export class NotificationOptions {
  /**
   * A worker holds a delivery this long (wall-clock) while it sends; past it another worker may
   * take it back (its holder died). Longer than the SMTP timeout, so a live send is never doubled.
   */
  leaseMs = 5 * SMTP_TIMEOUT_MS;
  /** First retry delay of a failed delivery; each later one doubles (the jobs queue retries with the same delays). */
  retryBaseMs = 10_000;
  /** Deliveries one job sends at most. */
  batch = 200;
}
