import type { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the console's build is: `CONSOLE_DIR`, or the `console/dist` (apps/console, built by `npm run build`) found
 * walking up from this module (apps/orchestrator/dist/… in the repo and in the image).
 */
export function consoleDir(configured: string | undefined): string | undefined {
  if (configured) return existsSync(join(configured, 'index.html')) ? configured : undefined;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'console', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

// Everything the console loads comes from this origin; the API is same-origin too. Inline styles: React Flow and
// CodeMirror set element styles.
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The parts of Express's request and response used here (the app runs on @nestjs/platform-express). */
interface Req {
  method: string;
  path: string;
}
interface Res {
  setHeader(name: string, value: string): unknown;
  status(code: number): Res;
  type(type: string): Res;
  send(body: string): unknown;
  sendFile(path: string): unknown;
}

/**
 * The web console at /console: its static files (hashed assets cached for good, index.html never), and index.html
 * for any other GET under /console (the app routes in the browser). Without a build, /console says how to make one.
 */
export function serveConsole(app: NestExpressApplication, configured: string | undefined): void {
  const dir = consoleDir(configured);
  const secure = (res: Res) => {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
  };
  if (dir) {
    app.useStaticAssets(dir, {
      prefix: '/console/',
      index: false,
      setHeaders: (res, path) => {
        secure(res as unknown as Res);
        res.setHeader('cache-control', path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.use('/console', (req: Req, res: Res, next: () => void) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing asset is a 404, not the app: the browser would run index.html as a script.
    if (req.path.startsWith('/assets/')) return next();
    secure(res);
    if (!dir) return void res.status(404).type('text/plain').send('The console is not built: run `npm run build` (it builds apps/console), then restart the orchestrator.\n');
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}
