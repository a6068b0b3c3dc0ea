// Render completions in headless Chromium (Debian's, driven by playwright-core; never a browser download).
//
// One browser per worker; a fixed number of slots, each its own browser context (so its own renderer process: a
// component that hangs or crashes takes down only its slot) with one page that has React 19 loaded once. Each job
// compiles the completion with esbuild, then mounts, measures and clicks it inside a single page.evaluate (~ms).
// A job that overruns its budget is cut off with CDP Runtime.terminateExecution; any job that misbehaved (error,
// violation, navigation, crash, timeout) gets its slot recycled so the next completion starts clean.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { compile } from './compile.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
export const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-extensions', '--mute-audio',
];
const RECYCLE_AFTER = 200; // jobs per page, as a guard against slow leaks

function findChromium() {
  const candidates = [process.env.GENUI_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
  return candidates.find((p) => p && fs.existsSync(p));
}

async function buildPageHtml(withTailwind) {
  // React + ReactDOM in development mode: it reports missing keys and other mistakes through console.error.
  const vendor = await esbuild.build({
    stdin: {
      contents: `import * as React from 'react'; import * as ReactDOM from 'react-dom';
        import * as ReactDOMClient from 'react-dom/client'; import * as JSX from 'react/jsx-runtime';
        import * as JSXDev from 'react/jsx-dev-runtime';
        window.__genuiModules = { react: React, 'react-dom': ReactDOM, 'react-dom/client': ReactDOMClient,
          'react/jsx-runtime': JSX, 'react/jsx-dev-runtime': JSXDev };`,
      resolveDir: ROOT,
    },
    bundle: true, write: false, format: 'iife', define: { 'process.env.NODE_ENV': '"development"' }, logLevel: 'silent',
  });
  const harness = fs.readFileSync(path.join(HERE, 'harness.js'), 'utf8');
  const twPath = path.join(ROOT, 'node_modules', '@tailwindcss', 'browser', 'dist', 'index.global.js');
  const tailwind = withTailwind && fs.existsSync(twPath) ? `<script>${fs.readFileSync(twPath, 'utf8')}</script>` : '';
  const esc = (s) => s.replace(/<\/script/gi, '<\\/script');
  // A minimal React DevTools hook, installed before React loads, counts commits: a component that re-renders on
  // every tick without being touched (useEffect that sets state with no deps) is caught by its commit rate.
  const hook = `window.__genuiCommits = 0; window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = { isDisabled: false,
    supportsFiber: true, renderers: new Map(), inject() { return 1; }, checkDCE() {},
    onCommitFiberRoot() { window.__genuiCommits += 1; }, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {}, setStrictMode() {} };`;
  return `<!doctype html><html><head><meta charset="utf-8">${tailwind}
    <style>body{margin:0;font-family:system-ui,sans-serif;background:#fff}</style></head>
    <body><script>${hook}</script><script>${esc(vendor.outputFiles[0].text)}</script><script>${esc(harness)}</script></body></html>`;
}

function placeholderSvg(url) {
  // placehold.co/800x400 -> an 800x400 grey box, so screenshots keep the layout the component asked for.
  const m = /(\d{2,4})x(\d{2,4})/.exec(url);
  const [w, h] = m ? [m[1], m[2]] : ['300', '200'];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#d1d5db"/><text x="50%" y="50%" fill="#6b7280" font-family="sans-serif" font-size="20" text-anchor="middle" dominant-baseline="middle">${w}×${h}</text></svg>`;
}

class Slot {
  constructor(pool) {
    this.pool = pool;
    this.job = null;
  }

  flag(what) {
    if (this.job && !this.job.violations.includes(what)) this.job.violations.push(what);
  }

  async open() {
    const { browser, html, viewport } = this.pool;
    this.context = await browser.newContext({ viewport, javaScriptEnabled: true, serviceWorkers: 'block' });
    await this.context.route('**/*', (route) => {
      const req = route.request();
      const type = req.resourceType();
      if (type === 'image') {
        return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: placeholderSvg(req.url()) });
      }
      if (type === 'document') this.flag('navigation');
      else if (!['stylesheet', 'font', 'media'].includes(type)) this.flag('network'); // fetch, xhr, script, ...
      return route.abort('blockedbyclient');
    });
    this.page = await this.context.newPage();
    this.page.on('dialog', (d) => { this.flag('dialog'); d.dismiss().catch(() => {}); });
    this.page.on('popup', (p) => { this.flag('window_open'); p.close().catch(() => {}); });
    this.page.on('crash', () => { this.crashed = true; });
    this.cdp = await this.context.newCDPSession(this.page);
    await this.page.setContent(html, { waitUntil: 'load' });
    this.crashed = false;
    this.uses = 0;
  }

  async close() {
    const ctx = this.context;
    this.context = null;
    if (ctx) await withTimeout(ctx.close(), 5000).catch(() => {});
  }

  async recycle() {
    await this.close();
    await this.open();
  }

  async healthy() {
    if (this.crashed || this.page.url() !== 'about:blank') return false;
    return withTimeout(this.page.evaluate(() => typeof window.__genuiRun === 'function'), 1000).catch(() => false);
  }

  async run(js, opts) {
    this.job = { violations: [] };
    const limit = opts.budgetMs + opts.graceMs;
    let result;
    try {
      result = await withTimeout(this.page.evaluate(([code, o]) => window.__genuiRun(code, o), [js, opts]), limit);
    } catch (err) {
      if (err.message === 'timeout') {
        // The page's JS is stuck (an infinite loop, a huge synchronous render): stop it from the outside.
        await withTimeout(this.cdp.send('Runtime.terminateExecution'), 2000).catch(() => {});
        result = { timed_out: true, errors: [`exceeded the ${limit} ms budget`] };
      } else {
        result = { errors: [`page failed: ${String(err.message).slice(0, 200)}`] };
      }
    }
    if (opts.screenshot && result.renders && !result.timed_out) {
      try {
        await this.page.waitForTimeout(opts.tailwindWaitMs); // Tailwind's browser build styles via a MutationObserver
        result.screenshot = (await withTimeout(this.page.screenshot({ type: 'png', fullPage: true }), 5000)).toString('base64');
      } catch (err) {
        result.screenshot_error = String(err.message).slice(0, 200);
      }
      await this.page.evaluate(() => window.__genuiCleanup && window.__genuiCleanup()).catch(() => {});
    }
    const violations = new Set([...(result.violations || []), ...this.job.violations]);
    // Something scheduled past the job (a rAF loop, a late navigation) shows up here, still charged to this job.
    const healthy = await this.healthy();
    if (!healthy) {
      if (this.crashed) result.errors = [...(result.errors || []), 'renderer crashed'];
      else if (this.page.url() !== 'about:blank' || violations.has('navigation')) violations.add('navigation');
      else violations.add('hang');
    }
    result.violations = [...violations];
    this.job = null;
    this.uses += 1;
    // Plain render errors need no new page (the harness unmounted and cleared timers); anything that may have left
    // the page in a bad state does.
    const dirty = !healthy || result.timed_out || violations.size || this.uses >= RECYCLE_AFTER;
    if (dirty) {
      result.recycled = true;
      await this.recycle();
    }
    return result;
  }
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); }),
  ]).finally(() => clearTimeout(timer));
}

export class RenderPool {
  constructor({ pages = 4, viewport = { width: 1024, height: 768 }, tailwind = false } = {}) {
    this.size = pages;
    this.viewport = viewport;
    this.tailwind = tailwind;
    this.free = [];
    this.waiters = [];
    this.starting = null;
  }

  async start() {
    if (!this.starting) {
      this.starting = (async () => {
        const executablePath = findChromium();
        if (!executablePath) throw new Error('Chromium not found: install it with `apt-get install chromium` (or set GENUI_CHROMIUM)');
        this.html = await buildPageHtml(this.tailwind);
        this.browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
        this.browser.on('disconnected', () => { this.dead = true; });
        const slots = await Promise.all(Array.from({ length: this.size }, async () => {
          const slot = new Slot(this);
          await slot.open();
          return slot;
        }));
        this.free.push(...slots);
      })();
    }
    return this.starting;
  }

  async acquire() {
    await this.start();
    if (this.free.length) return this.free.pop();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(slot) {
    const next = this.waiters.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  async restart() {
    // The browser itself died: relaunch it and reopen every slot.
    const old = this.browser;
    this.starting = null;
    this.dead = false;
    this.free = [];
    await old?.close().catch(() => {});
    await this.start();
  }

  async render(code, opts) {
    const compiled = await compile(code, opts.allowed);
    if (!compiled.ok) return { compiled: false, errors: compiled.errors, violations: [] };
    if (this.dead) await this.restart();
    const slot = await this.acquire();
    try {
      return { compiled: true, ...(await slot.run(compiled.js, opts)) };
    } catch (err) {
      // The slot could not even be recycled: the browser is in trouble. Restart it; the job is scored as failed.
      await this.restart().catch(() => {});
      return { compiled: true, errors: [`renderer failure: ${String(err.message).slice(0, 200)}`], violations: [] };
    } finally {
      if (!this.dead && slot.context) this.release(slot);
    }
  }

  async close() {
    await this.browser?.close().catch(() => {});
  }
}
