import { describe, expect, it } from 'vitest';
import { McpTools } from './mcp.tools.js';

const context = {
  mcpServers: {
    calc: { url: 'https://calc.example.com/mcp', headers: { authorization: 'Bearer s' }, tools: [{ name: 'add', readOnly: false }, { name: 'echo', readOnly: true }] },
  },
};

describe('McpTools.resolve', () => {
  const tools = new McpTools();

  it('finds a namespaced tool of a server the orchestrator sent, with its endpoint and headers', () => {
    expect(tools.resolve('calc.add', context)).toEqual({ name: 'calc.add', server: 'calc', tool: 'add', endpoint: { url: 'https://calc.example.com/mcp', headers: { authorization: 'Bearer s' } }, readOnly: false });
    expect(tools.resolve('calc.echo', context)?.readOnly).toBe(true);
  });

  it('knows nothing of a server or tool absent from the context (another tenant\'s servers never are in it)', () => {
    expect(tools.resolve('calc.sub', context)).toBeUndefined();
    expect(tools.resolve('other.add', context)).toBeUndefined();
    expect(tools.resolve('calc.add', {})).toBeUndefined();
    expect(tools.resolve('createProject', context)).toBeUndefined();
    expect(tools.resolve('.add', context)).toBeUndefined();
  });

  it('ignores a malformed context rather than calling somewhere it does not understand', () => {
    expect(tools.resolve('calc.add', { mcpServers: { calc: { url: 'not a url', tools: [{ name: 'add' }] } } })).toBeUndefined();
  });
});
