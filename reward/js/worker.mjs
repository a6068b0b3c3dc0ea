// Reward worker: reads one JSON request per line on stdin, answers one JSON line per request on stdout, in any order,
// matched by `id`. Requests run concurrently (esbuild's service and the browser pages work in parallel).
//   {"id": 1, "op": "compile", "code": "...", "allowed": ["react", "react-dom"], "want_js": false}
//   {"id": 2, "op": "ping"}
import readline from 'node:readline';
import { compile } from './compile.mjs';

const handlers = {
  ping: async () => ({ ok: true }),
  compile: async (req) => {
    const out = await compile(req.code, req.allowed);
    if (!req.want_js) delete out.js;
    return out;
  },
};

export function register(op, fn) {
  handlers[op] = fn;
}

function reply(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

let pending = 0;
let closed = false;
const maybeExit = () => closed && pending === 0 && process.exit(0);

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', async (line) => {
  pending += 1;
  try {
    await handle(line);
  } finally {
    pending -= 1;
    maybeExit();
  }
});
// Finish the requests in flight before exiting when the parent closes our stdin.
rl.on('close', () => {
  closed = true;
  maybeExit();
});

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    reply({ id: null, ok: false, fatal: `bad request line: ${line.slice(0, 80)}` });
    return;
  }
  const handler = handlers[req.op];
  if (!handler) {
    reply({ id: req.id, ok: false, fatal: `unknown op ${req.op}` });
    return;
  }
  try {
    reply({ id: req.id, ...(await handler(req)) });
  } catch (err) {
    reply({ id: req.id, ok: false, fatal: String((err && err.stack) || err) });
  }
}
