import { useEffect, useState } from 'react';
import { stream } from './api';
import { applyStreamEvent, emptyLive, type LiveExecution } from './model';

/**
 * Follows an execution's SSE stream (from its first event) until `event: end`, resuming with Last-Event-ID when the
 * connection drops. `onNodeEvent` is told of each node event (to read the node's input and output).
 */
export function useLiveExecution(id: string | undefined, onNodeEvent?: () => void): LiveExecution {
  const [live, setLive] = useState<LiveExecution>(emptyLive);
  useEffect(() => {
    setLive(emptyLive());
    if (!id) return;
    const abort = new AbortController();
    let ended = false;
    void (async () => {
      let last: string | undefined;
      while (!ended && !abort.signal.aborted) {
        try {
          last = await stream(
            `/v1/executions/${id}/stream`,
            (m) => {
              if (m.event === 'end') ended = true;
              if (m.event.startsWith('node_') || m.event === 'end') onNodeEvent?.();
              setLive((l) => applyStreamEvent(l, m));
            },
            { signal: abort.signal, ...(last ? { lastEventId: last } : {}) },
          );
        } catch {
          if (abort.signal.aborted) return;
        }
        // The server closed without `end` (a restart, a proxy): resume after a pause, from the last id seen.
        if (!ended && !abort.signal.aborted) await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    return () => abort.abort();
    // onNodeEvent is a callback that may change each render; the stream follows the id only.
  }, [id]);
  return live;
}
