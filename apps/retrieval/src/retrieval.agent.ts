import { defineAgent } from '@spine/agent-kit';
import { ContextPackSchema, RetrievalInputSchema } from '@spine/contracts';

export const retrievalAgent = defineAgent({
  name: 'retrieval',
  version: '0.1.0',
  description: 'Cerebro: searches tenant knowledge (API contracts, flows, notes, past decisions) into a context pack with citations; upserts and ingests packs.',
  capabilities: ['cerebro.search', 'cerebro.upsert', 'cerebro.ingest'],
  input: RetrievalInputSchema,
  output: ContextPackSchema,
});
