import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Compile a JSON Schema on first use: compiling at import time cost every `emotune` process (one per
 * classified MIDI file in an analysis) about 100 ms before it did any work. The package's own schemas are
 * not checked against the JSON Schema meta-schema at each start (compiling that cost each process about
 * 20 ms a schema): test/formats/schemas.test.ts checks them.
 */
export function lazyValidator<T = unknown>(schema: object): () => ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  return () => (compiled ??= new Ajv({ allErrors: false, strict: false, validateSchema: false }).compile<T>(schema));
}
