import { describe, expect, it } from 'vitest';
import { apiError } from './errors.js';

const failure = (status: number, body: unknown, path = '/v1/whoami', method = 'GET') => ({ status, method, path, body, retryAfter: null });

describe('apiError', () => {
  it('keeps the API code and message and says to log in again on 401', () => {
    const err = apiError(failure(401, { code: 'UNAUTHENTICATED', message: 'a valid API key is required' }));
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: 'a valid API key is required', status: 401 });
    expect(err.hint).toMatch(/^run spine login/);
  });

  it('tells a route the server lacks from a missing resource', () => {
    const route = apiError(failure(404, { code: 'NOT_FOUND', message: 'Cannot GET /v1/inbox' }, '/v1/inbox?role=x'));
    expect(route).toMatchObject({ code: 'NOT_SUPPORTED', message: 'this Spine server has no GET /v1/inbox' });
    expect(route.hint).toMatch(/older than this CLI/);
    const thing = apiError(failure(404, { code: 'NOT_FOUND', message: "no flow 'x'" }, '/v1/flows/x'));
    expect(thing).toMatchObject({ code: 'NOT_FOUND', message: "no flow 'x'" });
    expect(thing.hint).toMatch(/list commands/);
  });

  it('carries details and the Retry-After of a rate limit', () => {
    const err = apiError({ ...failure(429, { code: 'RATE_LIMITED', message: 'slow down', details: { retry_after_seconds: '2' } }), retryAfter: '2' });
    expect(err.details).toEqual({ retry_after_seconds: '2' });
    expect(err.hint).toBe('rate limited: try again in 2 s');
  });

  it('names the status when the body is not a Spine error', () => {
    expect(apiError(failure(502, 'Bad Gateway'))).toMatchObject({ code: 'HTTP_502', message: 'GET /v1/whoami answered 502' });
  });
});
