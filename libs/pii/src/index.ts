export { findPii, containsPii, redactText, redactJson, jsonContainsPii, type PiiKind, type PiiMatch, type PiiOptions } from './lib/pii.detector.js';
