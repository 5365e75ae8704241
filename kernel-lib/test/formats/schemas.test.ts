// The package's JSON Schemas compile without a check against the meta-schema at each start
// (formats/lazy-validator.ts): this is where they are checked.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { metaSchema } from '../../src/formats/meta.js';

describe('the JSON Schemas the package validates with', () => {
  for (const [name, schema] of [
    ['config', configSchema],
    ['generation meta', metaSchema],
  ] as const) {
    it(`${name} schema is a valid JSON Schema (draft-07 meta-schema)`, () => {
      const ajv = new Ajv({ strict: false });
      expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    });
  }
  it('a schema error would be caught here', () => {
    expect(new Ajv({ strict: false }).validateSchema({ type: 'no-such-type' })).toBe(false);
  });
});
