import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { OPENAPI } from './openapi.js';

/**
 * The OpenAPI document served at /api/v1/openapi.json, validated against the OpenAPI 3.0 schema and its own rules
 * (every $ref resolves, path parameters declared, operation ids unique) by @apidevtools/swagger-parser.
 */
describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.0 document', async () => {
    // The validator dereferences in place: give it a copy of the frozen document.
    const api = await SwaggerParser.validate(structuredClone(OPENAPI) as never);
    expect(api.info.title).toBe(OPENAPI.info.title);
  });

  it('documents the public read API without a key', () => {
    for (const path of ['/public/subjects/{code}', '/public/records/{kind}/{id}'] as const) {
      expect(OPENAPI.paths[path].get.security).toEqual([]);
    }
  });

  it('is refused by the validator when broken, so the test above can fail', async () => {
    const broken = structuredClone(OPENAPI) as unknown as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    broken.paths['/public/subjects/{code}']!.get.responses['200'] = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } };
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });
});
