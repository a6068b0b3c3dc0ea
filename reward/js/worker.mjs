// Reward worker: reads one JSON request per line on stdin, answers one JSON line per request on stdout, in any order,
// matched by `id`. Requests run concurrently (esbuild's service and the browser pages work in parallel).
//   {"id": 1, "op": "compile", "code": "...", "allowed": ["react", "react-dom"], "want_js": false}
//   {"id": 2, "op": "render", "code": "...", "budget_ms": 3000, "screenshot": false}
//   {"id": 3, "op": "ping"}
import readline from 'node:readline';
import { compile } from './compile.mjs';
import { RenderPool } from './render.mjs';
import { lint } from './lint.mjs';

// Pools are created on first use: a compile-only worker never starts a browser.
const pools = {};
const pool = (req) => {
  const key = req.screenshot ? 'shots' : 'main';
  pools[key] ??= new RenderPool({ pages: req.screenshot ? 1 : Number(process.env.GENUI_RENDER_PAGES || 4), tailwind: !!req.screenshot });
  return pools[key];
};

const handlers = {
  ping: async () => ({ ok: true }),
  render: async (req) => pool(req).render(req.code, {
    allowed: req.allowed,
    budgetMs: req.budget_ms ?? 2000,
    graceMs: req.grace_ms ?? 1000,
    idleMs: req.idle_ms ?? 30,
    maxIdleCommits: req.max_idle_commits ?? 10,
    maxInteractions: req.max_interactions ?? 12,
    maxNodes: req.max_nodes ?? 20000,
    screenshot: !!req.screenshot,
    keepMounted: !!req.screenshot,
    tailwindWaitMs: 150,
  }),
  compile: async (req) => {
    const out = await compile(req.code, req.allowed);
    if (!req.want_js) delete out.js;
    return out;
  },
};

export function register(op, fn) {
  handlers[op] = fn;
}
register('lint', lint);

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
