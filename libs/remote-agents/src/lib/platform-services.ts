/** `host:port` of every URL in a (comma-separated) list; bad entries are skipped, config validation owns them. */
export function servicesOf(urls: string, defaultPort: number): string[] {
  return urls.split(',').flatMap((u) => {
    try {
      const url = new URL(u.trim());
      return [`${url.hostname}:${url.port || defaultPort}`];
    } catch {
      return [];
    }
  });
}

/** The platform's own backing services (NATS, Postgres), always refused as agent endpoints. */
export function platformServices(natsUrl: string, databaseUrl: string): string[] {
  return [...servicesOf(natsUrl, 4222), ...servicesOf(databaseUrl, 5432)];
}
