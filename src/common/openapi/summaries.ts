import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Gives every operation a summary and states the security of the public ones (Redocly's operation-summary and
 * security-defined rules): an operation without its own summary gets one from its controller method's name
 * ("EstablishmentsController_setFollowedPatients" → "Set followed patients"), and one without a bearer
 * requirement is public (every controller that needs a token declares @ApiBearerAuth), so it gets `security: []`.
 */
export function withSummaries(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.summary) {
        const name = (operation.operationId ?? `${method} operation`).replace(/^.*_/, '');
        const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
        operation.summary = `${words.charAt(0).toUpperCase()}${words.slice(1)}${operation.tags?.[0] ? ` (${operation.tags[0]})` : ''}`;
      }
      operation.security ??= [];
    }
  }
  return document;
}
