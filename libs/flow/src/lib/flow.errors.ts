import { ErrorCode, SpineError } from '@spine/contracts';
import type { FlowIssue } from './flow.model.js';

/** Issues → one `SpineError` INVALID_ARGUMENT: every problem in the message, and by path in `details`. */
export function flowIssuesError(issues: readonly FlowIssue[]): SpineError {
  const details: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path || 'flow';
    const text = `${issue.code}: ${issue.message}`;
    details[key] = details[key] ? `${details[key]}; ${text}` : text;
  }
  const lines = issues.map((i) => `${i.path || 'flow'}: ${i.message}`);
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return new SpineError(ErrorCode.INVALID_ARGUMENT, `invalid flow: ${issues.length} ${noun}: ${lines.join('; ')}`, details);
}
