import type { AgentCard } from '@spine/contracts';
import type { ProbeResult } from '@spine/remote-agents';
import { request, type Dispatcher } from 'undici';

/** The orchestrator's label for where an imported A2A agent's card is. */
const CARD_URL_LABEL = 'a2a.card-url';

/** A2A has no health endpoint: an agent is up when it serves its card (the import's URL, else the well-known path). */
export function a2aProbeUrlOf(card: AgentCard): string {
  return card.labels[CARD_URL_LABEL] || `${card.endpoint.replace(/\/+$/, '')}/.well-known/agent-card.json`;
}

/** `GET {card url}`; healthy on any 2xx within `timeoutMs`. */
export async function probeA2a(cardUrl: string, timeoutMs: number, options: { dispatcher?: Dispatcher } = {}): Promise<ProbeResult> {
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  try {
    const res = await request(cardUrl, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs), ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
    await res.body.dump();
    const healthy = res.statusCode >= 200 && res.statusCode < 300;
    return healthy ? { healthy, latencyMs: latency() } : { healthy, latencyMs: latency(), error: `agent card: status ${res.statusCode}` };
  } catch (err) {
    const e = err as { name?: string; code?: unknown; cause?: { code?: unknown }; message?: unknown };
    return { healthy: false, latencyMs: latency(), error: e.name === 'TimeoutError' ? `no answer within ${timeoutMs}ms` : String(e.cause?.code ?? e.code ?? e.message ?? 'probe failed') };
  }
}
