export { buildGeneratorArgs, displayCommand, type GeneratorArgsInput } from './command.js';
