import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Compile a JSON Schema on first use: compiling at import time cost every `emotune` process (one per
 * classified MIDI file in an analysis) about 100 ms before it did any work.
 */
export function lazyValidator<T = unknown>(schema: object): () => ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  return () => (compiled ??= new Ajv({ allErrors: false, strict: false }).compile<T>(schema));
}
