import { schemas } from '@nordraum/domain';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ValidationTargets } from 'hono';
import { describeRoute, resolver, validator } from 'hono-openapi';
import { validationHook } from './errors.ts';

type Responses = Record<number, StandardSchemaV1 | null>;

const statusText: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
  400: 'Invalid request',
  401: 'Not logged in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  429: 'Too many attempts',
};

/** Documents a route for `/api/openapi.json`; every route also answers errors in one shape. */
export function describe(summary: string, tag: string, responses: Responses) {
  const all: Responses = { 400: schemas.errorBody, 401: schemas.errorBody, ...responses };
  return describeRoute({
    summary,
    tags: [tag],
    responses: Object.fromEntries(
      Object.entries(all).map(([status, schema]) => [
        status,
        {
          description: statusText[Number(status)] ?? 'Response',
          ...(schema ? { content: { 'application/json': { schema: resolver(schema) } } } : {}),
        },
      ]),
    ),
  });
}

/** Validates one part of the request; failures answer 400 with the failing fields. */
export function valid<Schema extends StandardSchemaV1, Target extends keyof ValidationTargets>(
  target: Target,
  schema: Schema,
) {
  return validator(target, schema, validationHook);
}
