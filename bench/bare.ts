// A bare node:http server that answers with bytes from memory: the ceiling the app's throughput is compared
// with. Usage: bare.ts <body file>...; header `x-bench-body: N` picks the Nth body. Prints {"port":N}.
import fs from 'node:fs';
import http from 'node:http';

const bodies = process.argv.slice(2).map((file) => fs.readFileSync(file));
const server = http.createServer((req, res) => {
  const body = bodies[Number(req.headers['x-bench-body'] ?? 0)] ?? bodies[0]!;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
