// Row 5's reference point (issue 17): a bare `node:http` server on the same machine, in its own
// process like the service. It answers the same JSON body the service returns for a job (read
// from argv[2]), so the ratio of the two is what the service adds: routing, auth, the database,
// logging and its framework.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : '{"hello":"world"}';
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare node:http listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
const close = (): void => void server.close(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
