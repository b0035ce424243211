/**
 * What the A2A conformance suite (a2aproject/a2a-tck) needs in front of a Spine flow: it reads the agent card at the
 * origin root and sends no `A2A-Version` header (which, by the SDK's rule, means 0.3). This proxy adds
 * `A2A-Version: 1.0` to every request and forwards everything to the orchestrator unchanged; Spine itself serves the
 * root card for A2A_ROOT_FLOW. Usage: node tools/a2a-tck/proxy.ts <listen port> <orchestrator url>
 */
import { createServer, request } from 'node:http';

const [portArg, target = 'http://127.0.0.1:8080'] = process.argv.slice(2);
const upstream = new URL(target);

createServer((req, res) => {
  // The Host stays the proxy's, so the card names the proxy's URL and the suite comes back through it.
  const headers = { ...req.headers };
  headers['a2a-version'] ??= '1.0';
  const out = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', (err) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(err));
  });
  req.pipe(out);
}).listen(Number(portArg ?? 9999), '127.0.0.1', () => console.log(`a2a-tck proxy on :${portArg ?? 9999} → ${upstream.origin}`));
