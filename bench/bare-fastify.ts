// Row 5's reference point: a bare Fastify route on the same machine, in its own process like the
// service. It answers the same JSON body the service returns for a job (read from argv[2]), so
// the difference between the two is what the service adds: auth, the database and its plugins.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : '{"hello":"world"}';
const app = Fastify({ logger: false });
app.get('/api/v1/sync/jobs/:id', async (_req, reply) => reply.type('application/json').send(body));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`bare fastify listening on ${url}\n`);
const close = (): void => void app.close().then(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
