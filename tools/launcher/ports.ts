import { createServer } from 'node:net';

/** Fails with a message naming the option that moves the port, when something already listens on it. */
export async function ensureFree(port: number, option: string): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${err.code ?? err.message})`;
      fail(new Error(`port ${port} ${why}: pick another with ${option}`));
    });
    // 0.0.0.0 also collides with a listener on 127.0.0.1 only, or on [::].
    probe.listen(port, '0.0.0.0', () => probe.close(() => ok()));
  });
}
