import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode, SpineError } from '@spine/contracts';
import { readLimited } from '@spine/remote-agents';
import { Agent, request } from 'undici';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../../orchestrator.config.js';
import { AgentEndpointPolicy } from '../../core/agent-endpoint.policy.js';

const WELL_KNOWN = '/.well-known/agent-card.json';

/** The card URL for what a publisher gave: a card URL as it is, an agent's base URL + the well-known path. */
export function cardUrlOf(url: string): string {
  if (/\.json$/i.test(new URL(url).pathname)) return url;
  return `${url.replace(/\/+$/, '')}${WELL_KNOWN}`;
}

/**
 * Fetches an A2A agent card for import: the URL passes the SSRF policy (and is re-checked at connect time), no
 * redirects, a size and a time limit. Every failure is an INVALID_ARGUMENT on `url`.
 */
@Injectable()
export class A2aCardClient {
  constructor(
    private readonly endpoints: AgentEndpointPolicy,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  async fetch(url: string): Promise<{ cardUrl: string; card: unknown }> {
    let cardUrl: string;
    try {
      cardUrl = cardUrlOf(url);
    } catch {
      throw refused('is not a valid URL', 'malformed');
    }
    let checked;
    try {
      checked = await this.endpoints.policy.check(cardUrl.replace(/[?#].*$/, ''), 'http');
    } catch (err) {
      if (!(err instanceof SpineError)) throw err;
      throw refused(err.message, err.details['reason'] ?? 'endpoint');
    }
    const dispatcher = new Agent({ connect: { lookup: this.endpoints.policy.lookupFor(checked.port) } });
    try {
      const res = await request(cardUrl, { method: 'GET', dispatcher, signal: AbortSignal.timeout(this.config.A2A_CARD_TIMEOUT_MS), headers: { accept: 'application/json', 'a2a-version': '1.0' } });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw refused(`answered ${res.statusCode} for the agent card`, 'status');
      }
      const limit = this.config.A2A_CARD_MAX_BYTES;
      const text = await readLimited(res.body, limit, () => new SpineError(ErrorCode.INVALID_ARGUMENT, `cannot import the A2A agent card: it is larger than ${limit} bytes`, { field: 'url', reason: 'too-large' }));
      try {
        return { cardUrl, card: JSON.parse(text) as unknown };
      } catch {
        throw refused('did not answer a JSON agent card', 'not-json');
      }
    } catch (err) {
      if (err instanceof SpineError) throw err;
      const e = err as { name?: string; code?: string; cause?: { code?: string }; message?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw refused(`did not answer within ${this.config.A2A_CARD_TIMEOUT_MS}ms`, 'timeout');
      throw refused(`is unreachable: ${e.code ?? e.cause?.code ?? e.message ?? 'unknown'}`, 'unreachable');
    } finally {
      void dispatcher.close();
    }
  }
}

function refused(message: string, reason: string): SpineError {
  return SpineError.invalid(`cannot import the A2A agent card: url ${message}`, { field: 'url', reason });
}
