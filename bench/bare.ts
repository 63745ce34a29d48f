// A bare node:http server that answers with bytes from memory: the ceiling the app's throughput is compared
// with. Usage: bare.ts [--express] <body file>...; header `x-bench-body: N` picks the Nth body. Prints {"port":N}.
// With --express the same bytes go through an Express 5 app with no middleware: the floor of any Express
// handler, so the table shows how much of the gap to bare is the framework's own.
import fs from 'node:fs';
import http from 'node:http';
import express from 'express';

const args = process.argv.slice(2);
const throughExpress = args[0] === '--express';
const bodies = args.filter((a) => a !== '--express').map((file) => fs.readFileSync(file));
const bodyOf = (req: http.IncomingMessage) => bodies[Number(req.headers['x-bench-body'] ?? 0)] ?? bodies[0]!;

function bareHandler(req: http.IncomingMessage, res: http.ServerResponse) {
  const body = bodyOf(req);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

function expressHandler() {
  const app = express();
  app.use((req, res) => void res.type('html').send(bodyOf(req)));
  return app;
}

const server = http.createServer(throughExpress ? expressHandler() : bareHandler);
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
