import { CreateApiKeys1763920000000 } from './1763920000000-create-api-keys.js';
import { CreateExecutions1763930000000 } from './1763930000000-create-executions.js';
import { ExecutionOutbox1763940000000 } from './1763940000000-execution-outbox.js';
import { ConversationFlow1763950000000 } from './1763950000000-conversation-flow.js';
import { CreateAgentSecrets1763955000000 } from './1763955000000-create-agent-secrets.js';
import { CommitStep1763960000000 } from './1763960000000-commit-step.js';
import { CommitSteps1763970000000 } from './1763970000000-commit-steps.js';
import { KnowledgeDocuments1763980000000 } from './1763980000000-knowledge-documents.js';
import { HumanTasks1764100000000 } from './1764100000000-human-tasks.js';
import { ConversationKey1764105000000 } from './1764105000000-conversation-key.js';
import { A2aTasks1764110000000 } from './1764110000000-a2a-tasks.js';
import { Subflows1765200000000 } from './1765200000000-subflows.js';
import { ApiKeyUser1765400000000 } from './1765400000000-api-key-user.js';
import { KnowledgeEditor1765500000000 } from './1765500000000-knowledge-editor.js';
import { McpServers1765600000000 } from './1765600000000-mcp-servers.js';
import { A2aTaskRuns1765700000000 } from './1765700000000-a2a-task-runs.js';

/** Every orchestrator migration, oldest first. */
export const migrations = [
  CreateApiKeys1763920000000,
  CreateExecutions1763930000000,
  ExecutionOutbox1763940000000,
  ConversationFlow1763950000000,
  CreateAgentSecrets1763955000000,
  CommitStep1763960000000,
  CommitSteps1763970000000,
  KnowledgeDocuments1763980000000,
  HumanTasks1764100000000,
  ConversationKey1764105000000,
  A2aTasks1764110000000,
  Subflows1765200000000,
  ApiKeyUser1765400000000,
  KnowledgeEditor1765500000000,
  McpServers1765600000000,
  A2aTaskRuns1765700000000,
];
