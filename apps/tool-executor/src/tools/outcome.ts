import type { ToolOutput } from './tool-call.js';

export interface OutcomeError {
  code: string;
  message: string;
  suggestion: string;
  field: string;
}

/** What one tool call came to; stored as is in the ledger. */
export type Outcome = { ok: true; result: ToolOutput } | { ok: false; error: OutcomeError };
