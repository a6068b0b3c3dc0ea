// Reward worker: reads one JSON request per line on stdin, answers one JSON line per request on stdout, in any order,
// matched by `id`. Requests run concurrently (esbuild's service and the browser pages work in parallel).
//   {"id": 1, "op": "compile", "code": "...", "allowed": ["react", "react-dom"], "packages_dir": "/x/node_modules", "want_js": true}
//   {"id": 2, "op": "render", "js": "<compiled CommonJS>", "screenshot": false, "options": {...every render option...},
//    "packages": ["clsx"], "packages_dir": "/x/node_modules"}   (packages: a recipe's allowed packages, if any)
//   {"id": 3, "op": "ping"}
// Render options have no defaults here: reward/render.py's RenderOptions is the one place they are defined, and a
// request that lacks one is refused with its name.
import readline from 'node:readline';
import { compile } from './compile.mjs';
import { RenderPool } from './render.mjs';
import { lint } from './lint.mjs';
import { pagePackages } from './packages.mjs';

export const RENDER_OPTIONS = [
  'workers', 'pages', 'budget_ms', 'grace_ms', 'idle_ms', 'live_ms', 'settle_turns', 'settle_ms', 'max_commits_per_s',
  'max_idle_cpu', 'max_interactions', 'max_per_signature', 'max_nodes', 'memory_mb', 'viewport_width', 'viewport_height',
  'isolation', 'sandbox', 'sandbox_user', 'run_as', 'screenshot_wait_ms',
];

// Pools are created on first use: a compile-only worker never starts a browser.
const pools = {};
// One pool per set of allowed packages (their page modules are part of the page's bootstrap: packages.mjs).
const pool = (opts, screenshots, packages = null) => {
  const key = (screenshots ? 'shots' : 'main') + (packages ? ` ${packages.packagesDir}: ${packages.packages}` : '');
  pools[key] ??= new RenderPool(opts, { screenshots, packages });
  return pools[key];
};

const handlers = {
  ping: async () => ({ ok: true }),
  // CPU per render phase and process (benchmarks/reward_bench.py --phases; needs GENUI_RENDER_PROFILE=1)
  profile: async () => ({ ok: true, pools: Object.fromEntries(Object.entries(pools).map(([k, p]) => [k, p.profiler?.report() ?? null])) }),
  render: async (req) => {
    const opts = req.options || {};
    const missing = RENDER_OPTIONS.filter((k) => !(k in opts));
    if (missing.length) return { ok: false, fatal: `render request lacks option(s) ${missing.join(', ')}: send every RenderOptions field` };
    if (typeof req.js !== 'string') return { ok: false, fatal: 'render request lacks the compiled `js`' };
    return pool(opts, !!req.screenshot, pagePackages(req)).render(req.js, { ...opts, screenshot: !!req.screenshot });
  },
  compile: async (req) => {
    const out = await compile(req.code, req.allowed, req.packages_dir);
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
const maybeExit = async () => {
  if (!closed || pending) return;
  await Promise.all(Object.values(pools).map((p) => p.close()));
  process.exit(0);
};

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
    reply({ id: req.id, ok: false, infra: String((err && err.stack) || err).slice(0, 500) });
  }
}
