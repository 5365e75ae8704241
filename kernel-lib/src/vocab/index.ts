export * from './python-sort.js';
export * from './candidates.js';
export * from './pickle.js';
export * from './word2event.js';
export { loadModelVocabularies } from './model-vocabularies.js';
export { convertToWord2Event, pythonConversionCommand } from './convert.js';
