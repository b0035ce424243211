import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError } from '../api/errors.js';

const profileSchema = z.object({ url: z.string(), key: z.string() });
const fileSchema = z.object({
  current: z.string().default('default'),
  profiles: z.record(z.string(), profileSchema).default({}),
});

export type Profile = z.infer<typeof profileSchema>;
export type ProfilesFile = z.infer<typeof fileSchema>;

/** Profiles (`{ url, key }` by name) in `<config dir>/config.json`, readable by the user only (0600, dir 0700). */
export class ProfileStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'config.json');
  }

  read(): ProfilesFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { current: 'default', profiles: {} };
      throw err;
    }
    const parsed = fileSchema.safeParse(safeJson(text));
    if (!parsed.success) throw new CliError(`${this.file} is not a spine config file: ${parsed.error.issues[0]?.message ?? 'bad shape'}`, { code: 'BAD_CONFIG', hint: 'fix or delete it, then run spine login' });
    return parsed.data;
  }

  get(name: string): Profile | undefined {
    return this.read().profiles[name];
  }

  /** Saves the profile and makes it the current one. */
  save(name: string, profile: Profile): void {
    const config = this.read();
    this.write({ current: name, profiles: { ...config.profiles, [name]: profile } });
  }

  remove(name: string): boolean {
    const config = this.read();
    if (!config.profiles[name]) return false;
    const { [name]: _gone, ...rest } = config.profiles;
    this.write({ current: config.current === name ? (Object.keys(rest)[0] ?? 'default') : config.current, profiles: rest });
    return true;
  }

  private write(config: ProfilesFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Written beside and renamed: a crash mid-write never leaves a half file; the mode is set before any key is in it.
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
