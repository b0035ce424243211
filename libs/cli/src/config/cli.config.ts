import envPaths from 'env-paths';
import { z } from 'zod';

/** The environment the CLI reads, once, at start. Nothing else reads process.env. */
export interface CliEnv {
  /** SPINE_URL: overrides the profile's URL. */
  url: string | undefined;
  /** SPINE_API_KEY: overrides the profile's key. */
  apiKey: string | undefined;
  /** SPINE_PROFILE: the profile to use when --profile is not given. */
  profile: string | undefined;
  /** Where profiles live: SPINE_CONFIG_DIR, else the user's config dir (XDG_CONFIG_HOME/spine on Linux). */
  configDir: string;
  /** NO_COLOR (any value) turns colours off; FORCE_COLOR (not "0") turns them on off a TTY. */
  noColor: boolean;
  forceColor: boolean;
}

const schema = z.object({
  SPINE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  SPINE_API_KEY: z.string().trim().min(1).optional(),
  SPINE_PROFILE: z.string().trim().min(1).optional(),
  SPINE_CONFIG_DIR: z.string().min(1).optional(),
  NO_COLOR: z.string().optional(),
  FORCE_COLOR: z.string().optional(),
});

export function loadCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  // An empty variable counts as unset, as shells leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`spine: invalid environment\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    url: e.SPINE_URL,
    apiKey: e.SPINE_API_KEY,
    profile: e.SPINE_PROFILE,
    configDir: e.SPINE_CONFIG_DIR ?? envPaths('spine', { suffix: '' }).config,
    noColor: env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '',
    forceColor: e.FORCE_COLOR !== undefined && e.FORCE_COLOR !== '0',
  };
}
