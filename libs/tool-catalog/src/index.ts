export { callableTools, toolCatalog, toolSpec, type ToolSpec, type ToolName, type JsonSchema, type Phrase, type FieldWords, type FlowType } from './lib/catalog.js';
export { matchName, foldName } from './lib/names.js';
