import { describe, expect, it } from 'vitest';
import { headersOf, parseMcpServerInput } from './mcp-server.input.js';

describe('parseMcpServerInput', () => {
  it('takes a Streamable HTTP URL with headers and a secret sent as a bearer token', () => {
    const input = parseMcpServerInput({ name: 'calc', url: 'https://calc.example.com/mcp', headers: { 'x-team': 'ops' }, secret: 's3cret' });
    expect(headersOf(input)).toEqual({ 'x-team': 'ops', authorization: 'Bearer s3cret' });
  });

  it.each([
    [{ name: 'calc', url: 'https://x.example.com', command: 'rm -rf /' }, 'body'],
    [{ name: 'calc.v2', url: 'https://x.example.com' }, 'name'],
    [{ name: 'calc', url: 'file:///etc/passwd' }, 'url'],
    [{ name: 'calc', url: 'https://x.example.com', headers: { 'bad header': 'x' } }, 'headers'],
  ])('refuses %j at %s', (body, field) => {
    expect(() => parseMcpServerInput(body)).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: expect.stringMatching(new RegExp(`^${field}`)) }) }));
  });
});
