// Render compiled completions in headless Chromium, one fresh document per completion.
//
// One browser per worker, `pages` slots, each a page in a browser context of its own (own cookies, storage and
// renderer process), so concurrent completions never share state. Every completion gets a new document at a new
// origin (https://j<N>.app.invalid/, a secure origin served by our Fetch handler): timers, animation frames,
// listeners, workers and prototypes of the previous completion die with its document (no back/forward cache), and
// its storage stays with its origin; cookies and the history are cleared before each navigation. The main-world
// bootstrap (bootstrap.js) mounts the component and records errors and commits; the isolated world (measure.js)
// measures and interacts. Network: nothing leaves (network namespace or dead-proxy flags, see reward/render.py);
// requests the page makes are answered here and recorded.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { Browser, BrowserGone, findChromium } from './cdp.mjs';
import { Profiler } from './profile.mjs';
import { pageModules } from './packages.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const APP_DOMAIN = 'app.invalid';

// Tailwind's visibility utilities (the scoring page loads no Tailwind): an element hidden with `hidden`,
// `invisible`, `opacity-0` or `sr-only` must be hidden for the visibility measure too.
const DISPLAY = { block: 'block', flex: 'flex', grid: 'grid', inline: 'inline', 'inline-block': 'inline-block', 'inline-flex': 'inline-flex', table: 'table', hidden: 'none' };
const displayRules = (prefix) => Object.entries(DISPLAY).map(([k, v]) => `.${prefix}${k}{display:${v}}`).join('');
const VISIBILITY_CSS = `${displayRules('')}.invisible{visibility:hidden}.opacity-0{opacity:0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border-width:0}
@media (min-width:640px){${displayRules('sm\\:')}}@media (min-width:768px){${displayRules('md\\:')}}@media (min-width:1024px){${displayRules('lg\\:')}}`;

async function buildBootstrap(packages) {
  // React + ReactDOM in development mode: it reports missing keys and other mistakes through console.error.
  // A recipe's allowed packages (packages.mjs) are registered beside them, evaluated when a completion requires one.
  const page = pageModules({ ...packages, reactDir: ROOT });
  const vendor = await esbuild.build({
    stdin: {
      contents: `import * as React from 'react'; import * as ReactDOM from 'react-dom';
        import * as ReactDOMClient from 'react-dom/client'; import * as JSX from 'react/jsx-runtime';
        import * as JSXDev from 'react/jsx-dev-runtime';
        window.__genuiModules = { react: React, 'react-dom': ReactDOM, 'react-dom/client': ReactDOMClient,
          'react/jsx-runtime': JSX, 'react/jsx-dev-runtime': JSXDev };\n${page.contents}`,
      resolveDir: ROOT,
    },
    plugins: [page.plugin], nodePaths: page.nodePaths,
    bundle: true, write: false, format: 'iife', define: { 'process.env.NODE_ENV': '"development"' }, logLevel: 'silent',
  });
  const bootstrap = fs.readFileSync(path.join(HERE, 'bootstrap.js'), 'utf8');
  return bootstrap.replace('/* VENDOR */', () => vendor.outputFiles[0].text) + '\n//# sourceURL=genui-bootstrap.js';
}

function placeholderSvg(url) {
  // placehold.co/800x400 -> an 800x400 grey box, so layouts keep the size the component asked for.
  const m = /(\d{2,4})x(\d{2,4})/.exec(url);
  const [w, h] = m ? [m[1], m[2]] : ['300', '200'];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#d1d5db"/></svg>`;
}

const b64 = (s) => Buffer.from(s).toString('base64');
const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new JobTimeout(what)), ms); }),
  ]).finally(() => clearTimeout(timer));
};
class JobTimeout extends Error {}
class Crashed extends Error {}

const SILENT_TYPES = new Set(['Stylesheet', 'Font', 'Media', 'TextTrack', 'Manifest', 'Prefetch', 'SignedExchange', 'CSPViolationReport']);
const USER_NAVIGATIONS = { anchorClick: 'link', formSubmissionGet: 'form_submit', formSubmissionPost: 'form_submit' };

// The slot's top document: it holds the completion's frame and nothing else, and no completion can reach it.
const TOP_HTML = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><style>html,body{margin:0;height:100%;overflow:hidden}iframe{display:block;border:0;width:100%;height:100%}</style></head><body></body></html>';
const jobHtml = () => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><style>${VISIBILITY_CSS}</style><style>body{margin:0;font-family:system-ui,sans-serif;background:#fff}</style></head><body></body></html>`;
// A completion's frame: scripts, forms, dialogs and storage of its own origin work as in a tab; it may not navigate
// the top document (no allow-top-navigation), and popups never open (--block-new-web-contents) but are reported.
const FRAME_SANDBOX = 'allow-scripts allow-same-origin allow-forms allow-modals allow-popups';
const FRAME_ALLOW = 'clipboard-read; clipboard-write; fullscreen; autoplay';

class Slot {
  constructor(pool, index) {
    this.pool = pool;
    this.index = index;
    this.job = null;
  }

  // A page in a browser context of its own, showing the top document at https://app.invalid/.
  async open() {
    const { browser, viewport } = this.pool;
    this.page = await browser.newPage(viewport);
    this.crashed = false;
    this.cleaned = null;
    const p = this.page;
    const { frameTree } = await p.send('Page.getFrameTree');
    this.frameId = frameTree.frame.id; // the top frame
    this.topUrl = `https://${APP_DOMAIN}/`;
    this.topServed = false;
    this.off = p.on((method, params) => this.onEvent(method, params));
    const ua = (await browser.send('Browser.getVersion')).userAgent.replace('HeadlessChrome', 'Chrome');
    await Promise.all([
      p.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }),
      p.send('Network.enable', { maxTotalBufferSize: 0, maxResourceBufferSize: 0 }),
      p.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }),
      p.send('Performance.enable', { timeDomain: 'threadTicks' }),
      p.send('Runtime.enable'), // execution contexts, to address the completion's frame
      p.send('Emulation.setUserAgentOverride', { userAgent: ua }),
      p.send('Page.addScriptToEvaluateOnNewDocument', { source: this.pool.bootstrap }),
      p.send('Page.addScriptToEvaluateOnNewDocument', { source: this.pool.measure, worldName: 'genui' }),
      ...(this.pool.extraScript ? [p.send('Page.addScriptToEvaluateOnNewDocument', { source: this.pool.extraScript })] : []),
      browser.send('Browser.grantPermissions', {
        browserContextId: p.browserContextId, permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'],
      }).catch(() => {}),
    ]);
    const loaded = p.waitFor('Page.loadEventFired');
    await p.send('Page.navigate', { url: this.topUrl });
    await withTimeout(loaded, 30000, 'top document');
  }

  flag(what) {
    if (this.job && !this.job.violations.includes(what)) this.job.violations.push(what);
  }

  note(what) {
    if (this.job) this.job.events[what] = (this.job.events[what] || 0) + 1;
  }

  onEvent(method, params) {
    const p = this.page;
    const job = this.job;
    if (method === 'Fetch.requestPaused') {
      const { requestId, request, resourceType, frameId } = params;
      const fulfill = (html) => p.send('Fetch.fulfillRequest', { requestId, responseCode: 200, responseHeaders: [{ name: 'content-type', value: 'text/html; charset=utf-8' }], body: b64(html) }).catch(() => {});
      if (resourceType === 'Document' && frameId === this.frameId && request.url === this.topUrl && !this.topServed) {
        this.topServed = true;
        fulfill(TOP_HTML);
        return;
      }
      if (job && resourceType === 'Document' && request.url === job.url && !job.frameId) {
        job.frameId = frameId;
        fulfill(jobHtml());
        return;
      }
      if (resourceType === 'Image') {
        p.send('Fetch.fulfillRequest', { requestId, responseCode: 200, responseHeaders: [{ name: 'content-type', value: 'image/svg+xml' }], body: b64(placeholderSvg(request.url)) }).catch(() => {});
        return;
      }
      // Navigations of the completion's frame are recorded by Page.frameRequestedNavigation; frames inside the
      // component and passive resources simply fail, as they would offline.
      const favicon = new URL(request.url).pathname === '/favicon.ico'; // the browser's own request, not the page's
      if (resourceType !== 'Document' && !SILENT_TYPES.has(resourceType) && !favicon) {
        this.flag('network');
        this.note(`request:${resourceType}`);
      }
      if (resourceType === 'Document' && job && frameId === job.frameId) {
        // A navigation of the completion's frame: 204 No Content ends it where it is, without an error page.
        p.send('Fetch.fulfillRequest', { requestId, responseCode: 204, responseHeaders: [] }).catch(() => {});
        return;
      }
      if (resourceType === 'Document' && frameId === this.frameId) this.flag('navigation'); // the top document: never
      p.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' }).catch(() => {});
    } else if (method === 'Runtime.executionContextCreated') {
      const { id, origin, name, auxData } = params.context;
      if (!job || origin !== job.origin || auxData?.frameId !== job.frameId) return;
      if (auxData.isDefault) job.mainCtx ??= id;
      else if (name === 'genui') job.isoCtx ??= id;
      if (job.mainCtx && job.isoCtx) job.contexts?.();
    } else if (method === 'Network.webSocketCreated') {
      this.flag('network');
      this.note('request:WebSocket');
    } else if (method === 'Page.frameRequestedNavigation') {
      if (params.frameId === this.frameId) {
        this.flag('navigation'); // the top document is ours; the sandbox should already have refused
        return;
      }
      if (!job || params.frameId !== job.frameId || params.reason === 'initialFrameNavigation') return;
      const kind = USER_NAVIGATIONS[params.reason];
      if (kind && job.acting) this.note(kind); // a user's link click or form submit: prevented, not a fault
      else if (!params.url.startsWith(job.url + '#')) this.flag('navigation');
    } else if (method === 'Page.frameNavigated') {
      const { id, url } = params.frame;
      if (id === this.frameId && this.topServed && url !== this.topUrl) this.flag('navigation');
      else if (job && id === job.frameId && !url.startsWith(job.url)) this.flag('navigation');
    } else if (method === 'Page.javascriptDialogOpening') {
      this.note('dialog');
      if ((job?.events.dialog || 0) > 3) this.flag('dialog_flood');
      p.send('Page.handleJavaScriptDialog', { accept: params.type === 'alert' || params.type === 'beforeunload' }).catch(() => {});
    } else if (method === 'Page.windowOpen') {
      if (params.userGesture) this.note('window_open');
      else this.flag('window_open');
    } else if (method === 'Target.attachedToTarget') {
      if (job && /worker/.test(params.targetInfo.type)) job.workers.push(params.sessionId);
    } else if (method === 'Inspector.targetCrashed') {
      this.crashed = true;
      job?.crash?.();
    } else if (method === 'Genui.browserGone') {
      job?.crash?.(new BrowserGone(params.why));
    }
  }

  eval(contextId, expression, userGesture = false) {
    return this.page.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true, userGesture })
      .then((r) => {
        if (r.exceptionDetails) throw new Error(`measure: ${r.exceptionDetails.exception?.description || r.exceptionDetails.text}`);
        return r.result.value;
      });
  }

  // The top document's own JS (no completion can reach it): drop the previous completion's frame, add the next one.
  swapFrame(url) {
    const expression = `(() => { for (const f of document.querySelectorAll('iframe')) f.remove();
      document.body.removeAttribute('style'); document.documentElement.removeAttribute('style');
      if (!${JSON.stringify(url)}) return;
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', ${JSON.stringify(FRAME_SANDBOX)});
      f.setAttribute('allow', ${JSON.stringify(FRAME_ALLOW)});
      f.src = ${JSON.stringify(url || '')};
      document.body.appendChild(f);
      f.focus(); })()`;
    return this.page.send('Runtime.evaluate', { expression, contextId: undefined }).then((r) => {
      if (r.exceptionDetails) throw new Error(`frame: ${r.exceptionDetails.text}`);
    });
  }

  // After a completion: its frame goes (its timers, animation frames, workers and listeners with it), and so do the
  // cookies of the site and the history it added. The next completion waits for this.
  cleanup() {
    const p = this.page;
    this.cleaned = Promise.all([
      this.swapFrame(null),
      this.pool.browser.send('Storage.clearCookies', { browserContextId: p.browserContextId }),
      p.send('Page.resetNavigationHistory'),
    ]).then(() => true, () => false);
  }

  // A slot whose cleanup failed gets a new page (and browser context) before its next completion.
  async reopen() {
    this.off?.();
    await this.page.close();
    await this.open();
  }

  async busy() {
    const { metrics } = await this.page.send('Performance.getMetrics');
    const get = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: get('TaskDuration'), wall: get('Timestamp') };
  }

  async probe(handle) {
    const r = await this.page.send('Runtime.callFunctionOn', { objectId: handle, functionDeclaration: 'function () { return this.probe(); }', returnByValue: true });
    const [head, errors, consoleErrors] = r.result.value.split('\u0001');
    const [commits, nErrors, nConsole, network, status, mountCommits] = head.split('\n');
    const rows = (s) => s.split('\n').filter(Boolean).map((line) => { const [t, ...rest] = line.split('\t'); return { t: Number(t), text: rest.join(' ') }; });
    return { commits: Number(commits), nErrors: Number(nErrors), nConsole: Number(nConsole), network: Number(network), status, mountCommits: Number(mountCommits), errors: rows(errors), console: rows(consoleErrors) };
  }

  async run(js, opts) {
    const n = ++this.pool.jobs;
    const origin = `https://j${n}.${APP_DOMAIN}`;
    const job = { url: `${origin}/`, origin, frameId: null, mainCtx: null, isoCtx: null, violations: [], events: {}, acting: false, workers: [] };
    let crashed;
    const crash = new Promise((_, reject) => { crashed = reject; });
    crash.catch(() => {});
    job.crash = (err) => crashed(err || new Crashed('renderer crashed'));
    const contexts = new Promise((resolve) => { job.contexts = resolve; });
    const mark = (phase) => this.pool.profiler?.mark(phase);
    mark(null);
    const started = Date.now();
    const limit = opts.budget_ms + opts.grace_ms + opts.idle_ms + opts.live_ms;
    const p = this.page;
    const out = { mounted: false, renders: false, errors: [], console_errors: [], violations: job.violations, events: job.events,
      attempted: 0, effective: 0, interaction_errors: 0, self_updates: 0, timed_out: false, nodes: 0, text_chars: 0, ms: 0 };
    let handle = null;
    // Time limits are in the page's own CPU time: when the wall-clock limit passes, a page whose main thread still
    // answers and has used less than its budget of CPU is only waiting for a busy machine, and gets more time (up to
    // 4x); one that does not answer, or has spent its budget computing, is stuck.
    let deadline = started + limit;
    let cpu0 = 0;
    const step = async (promise, what) => {
      promise.catch?.(() => {});
      for (;;) {
        try {
          return await Promise.race([withTimeout(promise, Math.max(1, deadline - Date.now()), what), crash]);
        } catch (err) {
          if (!(err instanceof JobTimeout) || Date.now() - started > 4 * limit) throw err;
          const now = await withTimeout(this.busy(), 1000, what).catch(() => null);
          if (!now || (now.task - cpu0) * 1000 > limit) throw err;
          deadline = Date.now() + opts.grace_ms;
        }
      }
    };
    if (this.cleaned && !(await this.cleaned)) await this.reopen();
    try {
      this.job = job;
      const baseline = this.busy();
      await this.swapFrame(job.url);
      cpu0 = (await baseline).task;
      mark('new frame');
      await step(contexts, 'load');
      mark('document');
      // Take the bootstrap's handle and mount, in one call, before any of the component's code exists.
      const mounted = await step(p.send('Runtime.callFunctionOn', {
        executionContextId: job.mainCtx, functionDeclaration: 'async function (js) { const h = __genuiTake(); await h.mount(js); return h; }',
        arguments: [{ value: js }], awaitPromise: true,
      }), 'mount');
      handle = mounted.result?.objectId;
      if (!handle) throw new Error(`bootstrap missing: ${JSON.stringify(mounted.exceptionDetails?.exception?.description || mounted.result).slice(0, 200)}`);
      mark('mount');
      const { begun, idle } = await step(this.eval(job.isoCtx, `__genuiMeasure.start(${JSON.stringify(opts)})`), 'measure');
      mark('begin + idle window');
      const probe1 = await step(this.probe(handle), 'probe');
      mark('probe');
      out.mounted = probe1.status === 'mounted' && probe1.nErrors === 0;
      out.nodes = idle.nodes;
      out.text_chars = begun.text_chars;
      out.renders = out.mounted && begun.nodes > 1 && begun.visible;
      out.self_updates += idle.changed > 0 ? 1 : 0;
      if ((probe1.commits - probe1.mountCommits) * 1000 > opts.max_commits_per_s * Math.max(opts.idle_ms, 1)) this.flag('render_loop');
      if (out.nodes > opts.max_nodes) this.flag('dom_too_large');
      if (out.renders && !job.violations.length && !opts.screenshot) {
        job.acting = true;
        const run = await step(this.eval(job.isoCtx, `__genuiMeasure.run(${JSON.stringify(opts)})`, true), 'interactions');
        job.acting = false;
        mark('interactions');
        const busy0 = await this.busy();
        mark('metrics');
        const live = await step(this.eval(job.isoCtx, `__genuiMeasure.idle(${opts.live_ms}, ${opts.settle_turns})`), 'live');
        mark('live window');
        const busy1 = await this.busy();
        mark('metrics');
        // A page that keeps the main thread busy while nobody acts (a spinning animation frame, a tight timer).
        out.idle_cpu = busy1.wall > busy0.wall ? Math.round((100 * (busy1.task - busy0.task)) / (busy1.wall - busy0.wall)) / 100 : 0;
        // Busy with nothing to show for it (an animation-frame or timer loop that changes nothing a user sees):
        // measured in thread CPU time over wall time, so a loaded machine lowers it, never raises it.
        if (out.idle_cpu > opts.max_idle_cpu && !live.changed) this.flag('cpu_hog');
        out.self_updates += live.changed > 0 ? 1 : 0;
        out.interactions_cut = run.cut;
        out.self_updates += run.control_changes ? 1 : 0; // the page changed in a window where nobody acted
        if (run.dom_too_large) this.flag('dom_too_large');
        out.nodes = Math.max(out.nodes, run.nodes);
        out.interactions = run.interactions;
      }
      if (opts.screenshot && out.renders) {
        await new Promise((r) => setTimeout(r, opts.screenshot_wait_ms)); // Tailwind's browser build styles asynchronously
        out.screenshot = await step(this.screenshot(job), 'screenshot');
      }
      const final = await step(this.probe(handle), 'probe');
      mark('probe');
      if (final.network) this.flag('network');
      // React's own guard against updates that never end (an effect that sets state on every render).
      if (final.console.some((c) => c.text.includes('Maximum update depth exceeded'))) this.flag('render_loop');
      this.attribute(out, final);
      // A Worker still busy at the end (it would keep a core to itself): it is killed with the frame; scored.
      for (const sessionId of job.workers) {
        const answered = await withTimeout(this.pool.browser.send('Runtime.evaluate', { expression: '1' }, sessionId), 300).then(() => true, (e) => !(e instanceof JobTimeout));
        if (!answered) this.flag('busy_worker');
      }
      mark('worker check');
    } catch (err) {
      if (err instanceof BrowserGone) throw err;
      if (err instanceof JobTimeout) {
        // The page's JS is stuck (an infinite loop, a huge synchronous render): stop it from the outside.
        await withTimeout(p.send('Runtime.terminateExecution'), 2000).catch(() => {});
        out.timed_out = true;
        out.stuck = true;
        out.errors.push(`exceeded the ${limit} ms budget (${err.message})`);
      } else if (err instanceof Crashed || this.crashed) {
        out.errors.push('renderer crashed (out of memory or killed)');
        out.crashed = true;
      } else {
        out.errors.push(`page failed: ${String(err.message).slice(0, 200)}`);
      }
      if (handle && !this.crashed) {
        const final = await withTimeout(this.probe(handle), 500).catch(() => null);
        if (final) this.attribute(out, final);
      }
    } finally {
      this.job = null;
      if (this.pool.profiler) this.pool.profiler.jobs += 1;
    }
    if (!this.crashed && !out.stuck) this.cleanup();
    out.ms = Date.now() - started;
    return out;
  }

  // The whole page as laid out in the completion's frame: the frame grows to the page's height for the capture.
  async screenshot(job) {
    const size = await this.eval(job.isoCtx, '[document.documentElement.scrollWidth, document.documentElement.scrollHeight]');
    const [width, height] = [Math.max(1, Math.ceil(size[0])), Math.min(Math.ceil(size[1]), 8000)];
    await this.page.send('Runtime.evaluate', { expression: `document.querySelector('iframe').style.height = '${height}px'; document.body.style.height = 'auto'; document.documentElement.style.height = 'auto'` });
    const clip = { x: 0, y: 0, width, height, scale: 1 };
    return (await this.page.send('Page.captureScreenshot', { format: 'png', clip, captureBeyondViewport: true })).data;
  }

  // Errors carry page timestamps; an error inside an interaction's window belongs to that interaction.
  attribute(out, probe) {
    const inside = (t) => (out.interactions || []).findLastIndex((x) => t >= Math.floor(x.t0) && t <= Math.ceil(x.t1) + 1);
    const threw = new Set((out.interactions || []).flatMap((x, i) => (x.threw ? [i] : [])));
    for (const e of probe.errors) {
      const i = inside(e.t);
      if (i >= 0) threw.add(i);
      else out.errors.push(e.text);
    }
    if (probe.nErrors > probe.errors.length && !out.errors.length) out.errors.push(`${probe.nErrors} errors`);
    out.console_errors = probe.console.map((c) => c.text);
    const bySig = new Map();
    (out.interactions || []).forEach((x, i) => {
      const ok = x.effective && !threw.has(i);
      bySig.set(x.sig, (bySig.get(x.sig) || false) || ok);
    });
    // Credit per distinct control: a wall of identical buttons counts once.
    out.attempted = bySig.size;
    out.effective = [...bySig.values()].filter(Boolean).length;
    out.interaction_errors = threw.size;
    out.mounted = out.mounted && !out.errors.length;
    out.renders = out.renders && out.mounted;
  }
}

export class RenderPool {
  // opts: the launch options of the first request (pages, isolation, sandbox, run_as, memory_mb, viewport_*)
  constructor(opts, { screenshots, packages = null }) {
    this.opts = opts;
    this.packages = packages; // {packages, packagesDir}: a recipe's allowed packages, or null
    this.screenshots = screenshots;
    this.size = screenshots ? 1 : opts.pages;
    this.viewport = { width: opts.viewport_width, height: opts.viewport_height };
    this.free = [];
    this.waiters = [];
    this.starting = null;
    this.jobs = 0;
  }

  async start() {
    if (!this.starting) {
      this.starting = (async () => {
        const executable = findChromium(process.env.GENUI_CHROMIUM);
        if (!executable) throw new Error('Chromium not found: install it with `apt-get install chromium` (or set GENUI_CHROMIUM)');
        this.bootstrap ??= await buildBootstrap(this.packages);
        this.measure ??= fs.readFileSync(path.join(HERE, 'measure.js'), 'utf8') + '\n//# sourceURL=genui-measure.js';
        const twPath = path.join(ROOT, 'node_modules', '@tailwindcss', 'browser', 'dist', 'index.global.js');
        // Tailwind's browser build (screenshots only) needs the document's head: run it once the document is parsed.
        this.extraScript = this.screenshots && fs.existsSync(twPath)
          ? `document.addEventListener('DOMContentLoaded', () => {\n${fs.readFileSync(twPath, 'utf8')}\n});`
          : null;
        const o = this.opts;
        const launch = (sandbox) => Browser.launch({ executable, isolation: o.isolation, user: sandbox && o.run_as ? { uid: o.run_as[0], gid: o.run_as[1] } : null, sandbox, memoryMb: o.memory_mb });
        try {
          this.browser = await launch(o.sandbox);
          this.sandboxed = o.sandbox;
        } catch (err) {
          if (!o.sandbox) throw err;
          // Chromium's sandbox needs user namespaces; where the kernel or container forbids them, say so and go on.
          process.stderr.write(`genui render: Chromium's sandbox is unavailable here, running with --no-sandbox: ${String(err.message).slice(0, 300)}\n`);
          this.browser = await launch(false);
          this.sandboxed = false;
        }
        if (process.env.GENUI_RENDER_PROFILE) this.profiler = new Profiler(this.browser.proc.pid);
        const slots = [];
        for (let i = 0; i < this.size; i++) {
          const slot = new Slot(this, i);
          await slot.open();
          slots.push(slot);
        }
        this.free.push(...slots);
      })();
      this.starting.catch(() => { this.starting = null; });
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
    const old = this.browser;
    this.starting = null;
    this.free = [];
    const waiters = this.waiters;
    this.waiters = [];
    await old?.close().catch(() => {});
    await this.start();
    for (const w of waiters) w(this.free.pop() ?? (await this.acquire()));
  }

  async render(js, opts) {
    if (this.browser?.closed) await this.restart();
    const slot = await this.acquire();
    let result;
    try {
      result = await slot.run(js, opts);
    } catch (err) {
      // The browser itself went away (not the page): the completion is not to blame.
      this.release(slot);
      if (!this.restarting) {
        this.restarting = this.restart().finally(() => { this.restarting = null; });
      }
      return { infra: `browser failure: ${String(err.message).slice(0, 300)}` };
    }
    // A crashed or stuck page gets a fresh page (and renderer); a healthy one serves the next completion.
    if (slot.crashed || result.stuck) {
      try {
        await slot.reopen();
      } catch (err) {
        this.restarting ??= this.restart().finally(() => { this.restarting = null; });
        return { ...result, isolation: this.opts.isolation, sandbox: this.sandboxed };
      }
    }
    this.release(slot);
    return { ...result, isolation: this.opts.isolation, sandbox: this.sandboxed };
  }

  async close() {
    await this.browser?.close().catch(() => {});
  }
}
