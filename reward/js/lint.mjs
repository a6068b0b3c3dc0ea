// The `lint` op of the reward worker: ESLint on one completion, in a pool of worker threads (lint-thread.mjs).
//   {"id": 1, "op": "lint", "code": "...", "config": "/abs/eslint.config.mjs", "filename": "App.tsx", "threads": 2}
//   -> {"ok": true, "errors": 1, "warnings": 0, "lines": 120, "tokens": 1100, "parse_error": null, "messages": [...]}
//   -> {"ok": false, "config_error": "..."}  (the config cannot be used: a setup problem, the same for every answer)
//   -> {"ok": false, "lint_error": "..."}    (a rule crashed on this answer: ESLint's problem, not the answer's)
// Linting costs ~10 ms of CPU per answer, all of it synchronous JavaScript: on the worker's own thread it would stall
// the compile and render requests in flight, so it runs in threads, which also lets one worker use several cores.
// Every setting comes from the request (the Python side owns the defaults); the first request sizes the pool.
import { Worker } from 'node:worker_threads';

const THREAD = new URL('./lint-thread.mjs', import.meta.url);

class LintPool {
  constructor(size) {
    this.size = size;
    this.threads = [];
    this.nextId = 0;
  }

  spawn() {
    const thread = { worker: new Worker(THREAD), pending: new Map() };
    thread.worker.on('message', ({ id, result }) => {
      thread.pending.get(id)?.resolve(result);
      thread.pending.delete(id);
    });
    const fail = (err) => {
      // A dead thread fails what it held (answered as a lint_error) and is replaced on the next request.
      this.threads = this.threads.filter((t) => t !== thread);
      for (const { resolve } of thread.pending.values()) resolve({ ok: false, lint_error: `lint thread died: ${err}` });
      thread.pending.clear();
    };
    thread.worker.on('error', (err) => fail(err?.message || err));
    thread.worker.on('exit', (code) => fail(`exit code ${code}`));
    this.threads.push(thread);
    return thread;
  }

  run(req) {
    // The least busy thread; a new one while the pool is below its size.
    const idle = this.threads.length < this.size ? this.spawn() : null;
    const thread = idle ?? this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = ++this.nextId;
    return new Promise((resolve) => {
      thread.pending.set(id, { resolve });
      thread.worker.postMessage({ id, req: { code: req.code, config: req.config, filename: req.filename } });
    });
  }
}

let pool = null;

export async function lint(req) {
  for (const key of ['code', 'config', 'filename']) {
    if (typeof req[key] !== 'string') throw new Error(`lint request without a string '${key}'`);
  }
  if (!Number.isInteger(req.threads) || req.threads < 1) throw new Error("lint request needs 'threads' >= 1");
  pool ??= new LintPool(req.threads);
  pool.size = Math.max(pool.size, req.threads);
  return pool.run(req);
}
