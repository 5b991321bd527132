import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * What the global ValidationPipe enforces (createValidationPipe: whitelist + forbidNonWhitelisted, the DTOs'
 * class-validator constraints), written into the request side of the generated document so that a client
 * built from the document sends what the server takes (#13):
 * - every request body object refuses unknown fields (`additionalProperties: false`);
 * - the constraints of each DTO's class-validator metadata become schema keywords (minLength for IsNotEmpty,
 *   min/max lengths, integers, bounds, uuid/date formats), so "" or 1.5 are not valid-looking;
 * - a required property is never nullable (the pipe refuses null for it: no IsOptional on it);
 * - every operation documents the Accept-Language header its sentences follow (SPEC §10).
 */
export function withRequestRules(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {});
  const classes = validatedClasses();
  const requestSchemas = new Set<string>();
  for (const operation of operationsOf(document)) {
    const body = operation.requestBody;
    if (body && !('$ref' in body)) {
      for (const media of Object.values(body.content)) collectRefs(media.schema, schemas, requestSchemas);
    }
    operation.parameters ??= [];
    if (!operation.parameters.some((p) => 'name' in p && p.name.toLowerCase() === 'accept-language')) {
      operation.parameters.push(ACCEPT_LANGUAGE);
    }
  }
  for (const name of requestSchemas) {
    const schema = schemas[name];
    if (!schema || '$ref' in schema) continue;
    const target = classes.get(name);
    if (target) applyConstraints(schema, getMetadataStorage().getTargetValidationMetadatas(target, '', true, false));
    if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  }
  return document;
}

const DATE_SOURCE = String.raw`^\d{4}-\d{2}-\d{2}$`;

const ACCEPT_LANGUAGE: ParameterObject = {
  name: 'Accept-Language',
  in: 'header',
  required: false,
  description: 'The language of every sentence of the answer (reasons, problem details): fr or en, English when absent (SPEC §10)',
  schema: { type: 'string', example: 'fr', maxLength: 200 },
};

function operationsOf(document: OpenAPIObject): OperationObject[] {
  const out: OperationObject[] = [];
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation) out.push(operation);
    }
  }
  return out;
}

function collectRefs(schema: SchemaObject | ReferenceObject | undefined, schemas: Record<string, SchemaObject | ReferenceObject>, into: Set<string>): void {
  if (!schema) return;
  if ('$ref' in schema) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (into.has(name)) return;
    into.add(name);
    collectRefs(schemas[name], schemas, into);
    return;
  }
  for (const child of Object.values(schema.properties ?? {})) collectRefs(child, schemas, into);
  if (schema.items) collectRefs(schema.items, schemas, into);
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) collectRefs(part, schemas, into);
}

/** The classes class-validator knows, by name (the generated schemas are named after their DTO class). */
function validatedClasses(): Map<string, new () => object> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<new () => object, ValidationMetadata[]> };
  const out = new Map<string, new () => object>();
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target === 'function' && target.name && !out.has(target.name)) out.set(target.name, target);
  }
  return out;
}

function applyConstraints(schema: SchemaObject, metadata: ValidationMetadata[]): void {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metadata) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const required = new Set(schema.required ?? []);
  for (const [name, rules] of byProperty) {
    const property = schema.properties?.[name];
    if (!property || '$ref' in property) continue;
    const optional = rules.some((r) => r.type === 'conditionalValidation');
    if (!optional && required.has(name)) delete property.nullable;
    for (const rule of rules) constrain(property, rule);
  }
}

/** One class-validator constraint as the schema keyword that says the same. */
function constrain(property: SchemaObject, rule: ValidationMetadata): void {
  const [first, second] = (rule.constraints ?? []) as unknown[];
  const target = property.type === 'array' && property.items && !('$ref' in property.items) && rule.each ? property.items : property;
  switch (rule.name) {
    case 'isNotEmpty':
      if (target.type === 'string') target.minLength = Math.max(target.minLength ?? 0, 1);
      break;
    case 'minLength':
      if (typeof first === 'number') target.minLength = Math.max(target.minLength ?? 0, first);
      break;
    case 'maxLength':
      if (typeof first === 'number' && target.maxLength === undefined) target.maxLength = first;
      break;
    case 'isLength':
      if (typeof first === 'number') target.minLength = Math.max(target.minLength ?? 0, first);
      if (typeof second === 'number' && target.maxLength === undefined) target.maxLength = second;
      break;
    case 'isInt':
      if (target.type === 'number' || target.type === undefined) target.type = 'integer';
      break;
    case 'min':
      if (typeof first === 'number' && target.minimum === undefined) target.minimum = first;
      break;
    case 'max':
      if (typeof first === 'number' && target.maximum === undefined) target.maximum = first;
      break;
    case 'isPositive':
      if (target.minimum === undefined) target.exclusiveMinimum = true;
      target.minimum ??= 0;
      break;
    case 'isUuid':
      target.format ??= 'uuid';
      break;
    case 'isIso8601':
    case 'isDateString':
      target.format ??= 'date-time';
      break;
    case 'arrayMinSize':
      if (typeof first === 'number') target.minItems = Math.max(target.minItems ?? 0, first);
      break;
    case 'arrayMaxSize':
      if (typeof first === 'number' && target.maxItems === undefined) target.maxItems = first;
      break;
    case 'matches':
      if (first instanceof RegExp && target.pattern === undefined && !first.flags) target.pattern = first.source;
      if (first instanceof RegExp && first.source === DATE_SOURCE) target.format ??= 'date';
      break;
    default:
      break;
  }
}
