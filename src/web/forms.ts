import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, FieldReason } from '../common/domain/domain-error';
import { maskIdentifierText, maskIdentifiers } from '../common/problem-details/mask-identifiers';
import { flattenValidationErrors } from '../common/problem-details/validation';

/** What a form shows again after a refusal: the user's input, each problem next to its field, and the sentence. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string[]>;
  summary: string | null;
  /** The refusal's stable code and parameters, when a service gave them (the page renders its sentence from them). */
  code?: string;
  params?: object;
}

export function emptyForm(values: Record<string, string> = {}): FormState {
  return { values, errors: {}, summary: null };
}

export function formWithErrors(values: Record<string, string>, reasons: FieldReason[], summary: string | null): FormState {
  const errors: Record<string, string[]> = {};
  for (const r of reasons) (errors[r.field] ??= []).push(r.reason);
  return { values, errors, summary };
}

/** A refusal from a service, shown on the form it came from (field reasons, else the sentence). */
export function formFromError(values: Record<string, string>, error: DomainError): FormState {
  // What the page shows of a refusal is masked like any problem (#12.4): no NIR-like value comes back.
  return { ...formWithErrors(values, maskIdentifiers(error.errors), maskIdentifierText(error.message)), code: error.code, params: maskIdentifiers(error.params) };
}

/** Form fields as strings (urlencoded bodies give strings or arrays of strings). */
export function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[key] = value[value.length - 1] as string;
  }
  return out;
}

/** Every value of a repeated field (`line=…&line=…`), in order. */
export function formList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** An empty field is absent; anything else is parsed as a number (NaN stays, so the validator names it). */
export function optionalNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return Number(value.trim().replace(',', '.'));
}

export function optionalText(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.trim();
}

/** Validates a plain object against the API's own DTO, with the same rules as the global pipe. */
export async function validateAs<T extends object>(cls: ClassConstructor<T>, plain: object): Promise<{ ok: true; value: T } | { ok: false; errors: FieldReason[] }> {
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const problems = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (problems.length === 0) return { ok: true, value: instance };
  return { ok: false, errors: flattenValidationErrors(problems) };
}

/**
 * A DomainError a user can fix on the form: not a sign-in or role problem, and a "not found" only
 * when it names a field (a patient typed in); another establishment's object is the 404 page.
 */
export function isFormRefusal(error: unknown): error is DomainError {
  if (!(error instanceof DomainError) || error.status < 400 || error.status >= 500) return false;
  if (error.status === 401 || error.status === 403) return false;
  return error.status !== 404 || error.errors.length > 0;
}
