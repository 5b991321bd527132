import { Injectable } from '@nestjs/common';
import { DEFAULT_MAX_RECAP_LINES } from './domain/recap-rows';

/** Upload limits and the recap deadline (SPEC §5: default the 10th of the next month). A test may lower them. */
@Injectable()
export class RecapLimits {
  /** An upload above this many bytes is refused with a 413 problem, read no further. */
  maxBytes = 16 * 1024 * 1024;
  maxLines = DEFAULT_MAX_RECAP_LINES;
  deadlineDay = 10;
}
