import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldReason } from '../domain/domain-error';

/** Flattens class-validator errors to `{ field, reason }` with paths like `lines[0].patient`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldReason[] {
  const out: FieldReason[] = [];
  for (const error of errors) {
    const isIndex = /^\d+$/.test(error.property);
    const field = parent ? (isIndex ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      const reason = message.replace(/^property \S+ should not exist$/, 'is not a known field');
      // Two decorators saying the same thing ("must be a positive number" for the type and the minimum) make one reason.
      if (!out.some((r) => r.field === field && r.reason === reason)) out.push({ field, reason });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function validationFailed(errors: FieldReason[]): DomainError {
  return new DomainError('VALIDATION_FAILED', { fields: [...new Set(errors.map((e) => e.field))] }, 400, errors);
}

/** The global pipe: unknown fields refused, types transformed, every field reason returned. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => {
      const reasons = flattenValidationErrors(errors).map((r) => ({
        ...r,
        reason: r.reason.startsWith('property ') && r.reason.endsWith('should not exist') ? 'is not a known field' : r.reason,
      }));
      return validationFailed(reasons);
    },
  });
}

export { BadRequestException };
