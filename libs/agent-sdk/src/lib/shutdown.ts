/** What `httpAgent()` and `grpcAgent()` return. */
export interface AgentServer {
  /** Starts serving; resolves with the bound port (useful with `port: 0`). */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight calls finish (up to the grace period), then closes. */
  close(): Promise<void>;
}

export interface LifecycleOptions {
  /** On SIGTERM/SIGINT: close gracefully, then exit the process. Default true. */
  handleSignals?: boolean;
  /** How long in-flight calls may run after shutdown starts. Default 10 s. */
  shutdownGraceMs?: number;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Installs SIGTERM/SIGINT handlers that close the server once and exit; returns the uninstaller. */
export function exitOnSignals(close: () => Promise<void>): () => void {
  const onSignal = (): void => {
    uninstall();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  const uninstall = (): void => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return uninstall;
}
