import { EXIT } from '../api/errors.js';
import { duration, type Output } from '../output/output.js';

/** The parts of GET /v1/executions/{id} the CLI shows. */
export interface ExecutionView {
  id: string;
  flowId: string;
  flowVersion: number;
  conversationId?: string | null;
  state: string;
  error: { code?: string; message?: string; nodeId?: string } | null;
  createdAt: string;
  finishedAt: string | null;
  nodes: { nodeId: string; state: string; attempts: number; durationMs: number | null; agent?: string | null; error: { code?: string; message?: string } | null }[];
}

/** DONE 0, FAILED 1, CANCELLED 3, WAITING_INPUT 4; anything still running 1 (it did not finish). */
export function exitCodeOf(state: string): number {
  switch (state) {
    case 'DONE':
      return EXIT.ok;
    case 'CANCELLED':
      return EXIT.cancelled;
    case 'WAITING_INPUT':
      return EXIT.waitingInput;
    default:
      return EXIT.failed;
  }
}

/** `DONE in 1.2 s (execution …)`, or the error that ended it. */
export function printOutcome(out: Output, e: ExecutionView): void {
  const took = e.finishedAt ? duration(Date.parse(e.finishedAt) - Date.parse(e.createdAt)) : '';
  const colour = e.state === 'DONE' ? out.c.green : e.state === 'FAILED' ? out.c.red : out.c.yellow;
  const error = e.error ? `: ${e.error.code ?? 'ERROR'} ${e.error.message ?? ''}${e.error.nodeId ? ` (node ${e.error.nodeId})` : ''}` : '';
  out.line(`${colour(out.c.bold(e.state))}${took ? ` in ${took}` : ''}${error} ${out.c.dim(`execution ${e.id}`)}`);
}
