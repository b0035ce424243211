// Docker/compose HEALTHCHECK: exits 0 when this container's /health/ready answers 2xx within 2 s.
// Kubernetes uses its own probes (deploy/k8s); this is for `docker run` and compose only.
// With ADMIN_PORT set, /health/* answers there only (libs/observability).
const port = process.env['ADMIN_PORT'] ?? process.env['HTTP_PORT'] ?? '8080';
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
