export { callableTools, toolCatalog, toolSpec, type ToolSpec, type ToolName, type JsonSchema } from './lib/catalog.js';
export { matchName, foldName } from './lib/names.js';
