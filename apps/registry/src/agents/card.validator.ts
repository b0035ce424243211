import { agentCardProblems, instanceIdProblems, SpineError, type AgentCard } from '@spine/contracts';

/**
 * Checks a card and the instance id it registers with; every problem is reported at once, by field. The rules are
 * @spine/contracts' agent-card.rules.ts, which the orchestrator's public card input and the SDK share.
 */
export function validateRegistration(card: AgentCard | undefined, instanceId: string): void {
  const problems: Record<string, string> = { ...instanceIdProblems(instanceId), ...(card ? agentCardProblems(card) : { card: 'is required' }) };
  const fields = Object.keys(problems);
  if (fields.length > 0) {
    const summary = fields.map((f) => `${f} ${problems[f]}`).join('; ');
    throw SpineError.invalid(`invalid agent card: ${summary}`, problems);
  }
}
