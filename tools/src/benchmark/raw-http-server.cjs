// The baseline: the reference's contract on raw node:http, nothing else.
const { createServer } = require('node:http');

const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 11 });
  res.end('hello-world');
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
