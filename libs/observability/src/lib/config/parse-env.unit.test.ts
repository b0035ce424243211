import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseEnv } from './parse-env.js';

const schema = z.object({ PORT: z.coerce.number().int().max(65535), URL: z.url() });

describe('parseEnv', () => {
  it('returns the typed configuration', () => {
    expect(parseEnv('svc', schema, { PORT: '80', URL: 'http://x.test' })).toEqual({ PORT: 80, URL: 'http://x.test' });
  });

  it('names the service and every variable at fault', () => {
    expect(() => parseEnv('svc', schema, { PORT: '99999', URL: 'nope' })).toThrow(/^svc: invalid configuration\n {2}PORT: .*\n {2}URL: /);
  });
});
