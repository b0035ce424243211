/** Test doubles other projects' tests use: an OpenAI-compatible server that answers what it is scripted to. */
export { ScriptedOpenAiServer, chunk, completion, type ScriptedReply, type RecordedRequest } from './lib/openai/scripted-openai.server.js';
