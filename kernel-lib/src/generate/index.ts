export { buildGeneratorArgs, displayCommand, type GeneratorArgsInput } from './command.js';
export * from './embedded/index.js';
