import { describe, expect, it } from 'vitest';
import { cardUrlOf } from './a2a-card.client.js';
import { jsonRpcInterfaceOf, semverOf, slugOf, spineCardOfA2a } from './a2a-card.mapper.js';

const CARD_URL = 'https://agents.example/.well-known/agent-card.json';

describe('spineCardOfA2a: an A2A agent card as a Spine agent', () => {
  it('maps a 1.0 card: slugged name, skills → capabilities, the JSON-RPC interface as the endpoint, open object schemas', () => {
    const card = spineCardOfA2a(
      {
        name: 'Currency Agent',
        description: 'Converts money',
        version: '2.1',
        supportedInterfaces: [
          { url: 'https://agents.example/rest', protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
          { url: 'https://agents.example/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        ],
        skills: [
          { id: 'convert_currency', name: 'Convert', description: 'Converts an amount', tags: ['fx'] },
          { id: 'Rates/Today', name: 'Rates' },
        ],
      },
      CARD_URL,
    );
    expect(card).toEqual({
      name: 'currency-agent',
      version: '2.1.0',
      description: 'Converts money\n\nSkills:\n- Convert: Converts an amount\n- Rates',
      endpoint: 'https://agents.example/rpc',
      capabilities: ['convert_currency', 'rates-today'],
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object' },
      timeoutMs: 30_000,
      labels: { 'a2a.card-url': CARD_URL, 'a2a.protocol-version': '1.0' },
    });
  });

  it('maps a 0.3 card (url + preferredTransport) and takes the caller\'s name, timeout and retry', () => {
    const card = spineCardOfA2a({ name: 'x', url: 'https://agents.example/a2a', preferredTransport: 'JSONRPC', protocolVersion: '0.3.0', skills: [] }, CARD_URL, { name: 'fx', timeoutMs: 5_000, retry: { maxAttempts: 2 } });
    expect(card).toMatchObject({ name: 'fx', endpoint: 'https://agents.example/a2a', timeoutMs: 5_000, retry: { maxAttempts: 2 }, labels: { 'a2a.protocol-version': '0.3.0' } });
  });

  it('refuses a card with no JSON-RPC interface, and a document that is not a card', () => {
    expect(() => spineCardOfA2a({ name: 'x', supportedInterfaces: [{ url: 'h:1', protocolBinding: 'GRPC' }] }, CARD_URL)).toThrow(/no JSON-RPC interface/);
    expect(() => spineCardOfA2a({ hello: 'world' }, CARD_URL)).toThrow(/not an A2A agent card/);
  });
});

describe('import helpers', () => {
  it('slugOf starts with a letter and keeps the allowed characters', () => {
    expect(slugOf('  42 Wise Owls!! ', 63)).toBe('a2a-42-wise-owls');
    expect(slugOf('Hello_World.v2', 64, /[^a-z0-9._-]+/g)).toBe('hello_world.v2');
  });

  it('semverOf pads versions and falls back to 0.0.0', () => {
    expect([semverOf('1'), semverOf('v2.3'), semverOf('1.2.3-beta.1'), semverOf('latest'), semverOf(undefined)]).toEqual(['1.0.0', '2.3.0', '1.2.3-beta.1', '0.0.0', '0.0.0']);
  });

  it('cardUrlOf appends the well-known path to a base URL and keeps a card URL', () => {
    expect(cardUrlOf('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/.well-known/agent-card.json');
    expect(cardUrlOf('http://127.0.0.1:4000/agents/fx/')).toBe('http://127.0.0.1:4000/agents/fx/.well-known/agent-card.json');
    expect(cardUrlOf(CARD_URL)).toBe(CARD_URL);
  });

  it('jsonRpcInterfaceOf prefers a 1.0 interface', () => {
    expect(jsonRpcInterfaceOf({ name: 'x', skills: [], url: 'http://a/03', supportedInterfaces: [{ url: 'http://a/10', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }] })).toEqual({ url: 'http://a/10', protocolVersion: '1.0' });
  });
});
