import type { Json } from '../store/execution.model.js';

export type HumanDecision = 'approve' | 'reject' | 'edit';
export type HumanTaskState = 'open' | 'decided' | 'expired' | 'closed';

/** One task in the inbox, as the API shows it. */
export interface HumanTask {
  id: string;
  tenantId: string;
  executionId: string;
  nodeId: string;
  flowId: string;
  prompt: string;
  data: Json;
  decisions: HumanDecision[];
  editSchema: Json | null;
  assigneeRole: string;
  deadlineAt: string | null;
  defaultAction: HumanDecision;
  state: HumanTaskState;
  decision: HumanDecision | null;
  decidedData: Json | null;
  comment: string | null;
  decidedBy: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** What the engine opens for a human node: the task's own fields, and a deadline as a delay (null: none). */
export type OpenTask = Pick<HumanTask, 'id' | 'tenantId' | 'executionId' | 'nodeId' | 'flowId' | 'prompt' | 'data' | 'decisions' | 'editSchema' | 'assigneeRole' | 'defaultAction'> & {
  deadlineMs: number | null;
};

export interface Decide {
  decision: HumanDecision;
  data?: Json;
  comment?: string;
  decidedBy: string;
}

export interface InboxFilter {
  flowId?: string;
  /** Only the tasks of this execution. */
  executionId?: string;
  role?: string;
  /** Only tasks open at least this long. */
  olderThanMs?: number;
  limit: number;
}
