/** A field-level reason, as in the problem-details `errors` member (SPEC §11). */
export interface FieldReason {
  field: string;
  reason: string;
  line?: number;
}

/** A value a refusal's sentence names: a number, a text (a code, a FINESS, a date), or a list of texts. */
export type ErrorParam = string | number | boolean | null | readonly string[];

/** The figures and names of a refusal, by name; the message catalogue renders them (never a patient identifier). */
export type ErrorParams = Readonly<Record<string, ErrorParam>>;

let describe: (code: string, params: ErrorParams) => string | null = () => null;

/**
 * How an error's `message` (logs, CLI) is written: the message catalogue installs its English
 * renderer here, since a domain folder may not import it.
 */
export function describeDomainErrorsWith(renderer: (code: string, params: ErrorParams) => string | null): void {
  describe = renderer;
}

/**
 * A refusal with a stable UPPER_SNAKE code and the parameters its sentence names (issue #17).
 * Services throw it; one global filter maps it to RFC 9457 problem details whose `detail` is the
 * catalogue's sentence of the code and parameters in the language asked for (src/common/messages).
 * `status` comes from each module's `*.errors.ts` table, so a new code must be mapped there.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: ErrorParams,
    readonly status: number,
    readonly errors: FieldReason[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(describe(code, params) ?? `${code} ${JSON.stringify(params)}`);
    this.name = 'DomainError';
  }
}

/** Builds a typed thrower for one module's code table. */
export function errorFactory<C extends string>(statusOf: Record<C, number>) {
  return (code: C, params: ErrorParams = {}, errors: FieldReason[] = [], extra: Record<string, unknown> = {}): DomainError =>
    new DomainError(code, params, statusOf[code], errors, extra);
}

/** A refusal returned by a pure rule (STYLE.md, Errors): a code of its module's table, its parameters, the field reasons. */
export interface Refusal<C extends string> {
  code: C;
  params: ErrorParams;
  errors: FieldReason[];
}

/** Turns a module's returned refusals into the DomainError its thrower makes. */
export function refusalToErrorWith<C extends string>(make: (code: C, params: ErrorParams, errors?: FieldReason[]) => DomainError): (refusal: Refusal<C>) => DomainError {
  return (refusal) => make(refusal.code, refusal.params, refusal.errors);
}
