import type { ApiClient } from '../api/client.js';
import { followExecution, type FeedItem } from '../api/execution-stream.js';
import type { CommandContext } from '../context.js';
import { ExecutionRenderer } from '../output/execution-renderer.js';
import type { ExecutionView } from './execution-state.js';

export interface WatchOptions {
  /** Resume after this SSE id. */
  from?: string;
  /** --json: each stream item as one JSON line (tail), or nothing until the end (run). */
  jsonItems: boolean;
  /** An open stream to read first (a conversation message's SSE answer). */
  first?: Response;
}

/** Follows an execution to its end, drawing it (or printing JSON lines), then reads it back as it settled. */
export async function watchExecution(ctx: CommandContext, api: ApiClient, executionId: string, options: WatchOptions): Promise<ExecutionView> {
  const renderer = ctx.out.json ? undefined : new ExecutionRenderer(ctx.out);
  const onItem = (item: FeedItem) => {
    if (renderer) renderer.onItem(item);
    else if (options.jsonItems) ctx.out.record(item);
  };
  try {
    await followExecution(api, executionId, {
      onItem,
      ...(options.from ? { lastEventId: options.from } : {}),
      ...(options.first ? { first: options.first } : {}),
      onReconnect: (last) => ctx.out.note(ctx.out.c.dim(`(connection lost; resuming${last ? ` after ${last}` : ''})`)),
    });
  } finally {
    renderer?.stop();
  }
  return api.get<ExecutionView>(`/v1/executions/${encodeURIComponent(executionId)}`);
}
