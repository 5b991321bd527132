/** A field-level reason, as in the problem-details `errors` member (SPEC §11). */
export interface FieldReason {
  field: string;
  reason: string;
  line?: number;
}

/**
 * A refusal with a stable UPPER_SNAKE code and a sentence naming the numbers.
 * Services throw it; one global filter maps it to RFC 9457 problem details.
 * `status` comes from each module's `*.errors.ts` table, so a new code must be mapped there.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly errors: FieldReason[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Builds a typed thrower for one module's code table. */
export function errorFactory<C extends string>(statusOf: Record<C, number>) {
  return (code: C, message: string, errors: FieldReason[] = [], extra: Record<string, unknown> = {}): DomainError =>
    new DomainError(code, message, statusOf[code], errors, extra);
}

/** A refusal returned by a pure rule (STYLE.md, Errors): a code of its module's table, a sentence, the field reasons. */
export interface Refusal<C extends string> {
  code: C;
  message: string;
  errors: FieldReason[];
}

/** Turns a module's returned refusals into the DomainError its thrower makes. */
export function refusalToErrorWith<C extends string>(make: (code: C, message: string, errors?: FieldReason[]) => DomainError): (refusal: Refusal<C>) => DomainError {
  return (refusal) => make(refusal.code, refusal.message, refusal.errors);
}
