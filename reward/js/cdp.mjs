// Chromium over the DevTools protocol, on Chromium's own pipe (--remote-debugging-pipe): no port, no network.
//
// Why not Playwright here: the render loop needs a fresh document per completion, and Playwright instruments every
// new document and frame it sees (utility worlds, injected scripts, frame bookkeeping), which measured ~35 ms of CPU
// per document on our 2-core machine, more than a whole render. This file is the small part of a driver we need:
// launch, a session per page, commands and events.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

export function findChromium(explicit) {
  // The Debian launcher (/usr/bin/chromium) is a shell script; the binary behind it is what we can drop privileges
  // for and limit, so prefer it.
  return [explicit, ...CANDIDATES].find((p) => p && fs.existsSync(p));
}

// Flags for every launch. RenderDocument and the back/forward cache make each navigation build (and keep) a new
// frame host: off, a navigation costs about half the CPU. SpareRendererForSitePerProcess: Chromium keeps a spare
// renderer process warm for the browser context that navigated last, and throws it away when another context
// navigates: with a context per slot that was a renderer process started and killed per completion (~35 ms of CPU
// each), never used. --block-new-web-contents: popups never open.
export const BASE_ARGS = [
  '--headless', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-default-apps', '--mute-audio',
  '--disable-breakpad', '--disable-dev-shm-usage', '--disable-back-forward-cache', '--block-new-web-contents',
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
  '--disable-ipc-flooding-protection', '--disable-hang-monitor', '--autoplay-policy=no-user-gesture-required',
  '--disable-blink-features=AutomationControlled', '--password-store=basic', '--use-mock-keychain',
];
// Chromium reads only the last --disable-features switch: every feature to disable goes into one list.
// WebUIOmniboxPopup, WebUIOmniboxAimPopup: headless Chromium is the whole browser, and it loads the omnibox's two
// WebUI popups (chrome://omnibox-popup.top-chrome/, a renderer of their own) at every launch although no omnibox is
// ever shown: ~1.2 s of CPU per launch (1.9 s -> 0.8 s to an idle browser), paid by every pool start and restart.
export const DISABLED_FEATURES = [
  'RenderDocument', 'BackForwardCache', 'PaintHolding', 'Prerender2', 'OptimizationHints', 'MediaRouter', 'Translate',
  'InterestFeedContentSuggestions', 'SpareRendererForSitePerProcess', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup',
];

// Without a network namespace: every scheme through a proxy that does not exist, no name resolves, and WebRTC may
// not send UDP outside that proxy. <-loopback> removes Chromium's implicit proxy bypass for localhost.
export const NO_NETWORK_ARGS = [
  '--proxy-server=http://genui-no-network.invalid:9', '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND', '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];
const NO_NETWORK_FEATURES = ['WebRtcHideLocalIpsWithMdns'];

export class Browser {
  // opts: {executable, isolation: 'namespace'|'flags'|'none', user: {uid, gid}|null, sandbox, memoryMb, extraArgs}
  static async launch(opts) {
    const b = new Browser();
    await b.start(opts);
    return b;
  }

  async start({ executable, isolation, user, sandbox, memoryMb, extraArgs = [] }) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'genui-chromium-'));
    const args = [...BASE_ARGS, `--user-data-dir=${this.dir}`, '--remote-debugging-pipe', ...extraArgs];
    const disabled = [...DISABLED_FEATURES];
    if (isolation === 'flags') {
      args.push(...NO_NETWORK_ARGS);
      disabled.push(...NO_NETWORK_FEATURES);
    }
    args.push(`--disable-features=${disabled.join(',')}`);
    if (!sandbox) args.push('--no-sandbox');
    // RLIMIT_DATA bounds what one process may allocate (Chromium's sandbox keeps the lower of ours and its own 16 GB):
    // a page that allocates gigabytes crashes its own renderer instead of the machine.
    let cmd = ['prlimit', `--data=${memoryMb * 1024 * 1024}`, '--'];
    const env = { ...process.env, HOME: this.dir, XDG_CONFIG_HOME: this.dir, XDG_CACHE_HOME: this.dir };
    if (user) {
      // Root: Chromium's sandbox refuses to run as root, so the browser runs as an unprivileged user; it needs only
      // its profile folder (ours, handed over) and the system's Chromium files.
      fs.chownSync(this.dir, user.uid, user.gid);
      cmd = [...cmd, 'setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'];
    }
    cmd = [...cmd, executable, ...args, 'about:blank'];
    this.proc = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], env });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    this.out = this.proc.stdio[3];
    this.inp = this.proc.stdio[4];
    this.nextId = 0;
    this.pending = new Map();
    this.handlers = new Map(); // sessionId -> Set(fn(method, params))
    this.closed = false;
    this.out.on('error', () => {});
    let buf = '';
    this.inp.on('data', (chunk) => {
      buf += chunk.toString();
      let i;
      while ((i = buf.indexOf('\0')) >= 0) {
        const msg = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        this.dispatch(msg);
      }
    });
    const exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    exited.then(({ code, signal }) => this.die(`chromium exited (code ${code}, signal ${signal}): ${this.stderr.slice(-600)}`));
    this.proc.once('error', (err) => this.die(`chromium could not start: ${err.message}`));
    await Promise.race([
      this.send('Browser.getVersion'),
      exited.then(() => { throw new Error(`chromium exited at launch: ${this.stderr.slice(-800)}`); }),
    ]);
    await this.send('Browser.setDownloadBehavior', { behavior: 'deny' }).catch(() => {});
  }

  dispatch(msg) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new CdpError(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
      return;
    }
    for (const fn of this.handlers.get(msg.sessionId || '') || []) fn(msg.method, msg.params);
  }

  die(why) {
    if (this.closed) return;
    this.closed = true;
    this.deathReason = why;
    for (const p of this.pending.values()) p.reject(new BrowserGone(why));
    this.pending.clear();
    for (const fns of this.handlers.values()) for (const fn of fns) fn('Genui.browserGone', { why });
  }

  send(method, params = {}, sessionId = undefined) {
    if (this.closed) return Promise.reject(new BrowserGone(this.deathReason || 'browser closed'));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.out.write(JSON.stringify({ id, method, params, sessionId }) + '\0');
    });
  }

  on(sessionId, fn) {
    if (!this.handlers.has(sessionId)) this.handlers.set(sessionId, new Set());
    this.handlers.get(sessionId).add(fn);
    return () => this.handlers.get(sessionId)?.delete(fn);
  }

  // A page in a browser context of its own (own cookies, storage and renderer process).
  async newPage(viewport) {
    const { browserContextId } = await this.send('Target.createBrowserContext', { disposeOnDetach: true });
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId, targetId, browserContextId);
    await Promise.all([
      page.send('Page.enable'),
      page.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false }),
    ]);
    return page;
  }

  async close() {
    if (!this.closed) {
      await Promise.race([this.send('Browser.close').catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
      this.proc.kill('SIGKILL');
    }
    this.closed = true;
    // The profile folder goes once the browser (and every process it started) has stopped writing to it.
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2000))]);
    fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

export class Page {
  constructor(browser, sessionId, targetId, browserContextId) {
    Object.assign(this, { browser, sessionId, targetId, browserContextId });
  }

  send(method, params = {}) {
    return this.browser.send(method, params, this.sessionId);
  }

  on(fn) {
    return this.browser.on(this.sessionId, fn);
  }

  waitFor(method, predicate = () => true) {
    let off;
    const promise = new Promise((resolve) => {
      off = this.on((m, p) => {
        if ((m === method && predicate(p)) || m === 'Genui.browserGone') {
          off();
          resolve(p);
        }
      });
    });
    promise.cancel = () => off();
    return promise;
  }

  async close() {
    await this.browser.send('Target.disposeBrowserContext', { browserContextId: this.browserContextId }).catch(() => {});
  }
}

export class CdpError extends Error {}
export class BrowserGone extends Error {}
