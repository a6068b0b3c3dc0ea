// In-page harness: mounts one compiled component, measures it, clicks it, and reports. Runs inside the page, after
// the React bundle has set window.__genuiModules. Everything a hostile component could use to escape the measurement
// (dialogs, new windows, sockets, beacons, form posts, link navigation) is stubbed and recorded as a violation;
// network requests are additionally blocked by the Node side, and hangs are cut off there.
(() => {
  const modules = window.__genuiModules;
  const realConsoleError = console.error;
  const state = { violations: [] };
  const violate = (what) => { if (!state.violations.includes(what)) state.violations.push(what); };

  window.alert = () => violate('dialog');
  window.confirm = () => { violate('dialog'); return false; };
  window.prompt = () => { violate('dialog'); return null; };
  window.print = () => violate('dialog');
  window.open = () => { violate('window_open'); return null; };
  window.WebSocket = function () { violate('network'); throw new Error('network access is blocked'); };
  window.EventSource = window.WebSocket;
  if (navigator.sendBeacon) navigator.sendBeacon = () => { violate('network'); return false; };
  // Form submissions and link clicks would navigate the page away: a component's own preventDefault runs first
  // (React listens at its root), this bubble-phase listener on window runs last.
  window.addEventListener('submit', (e) => e.preventDefault());
  window.addEventListener('click', (e) => {
    const a = e.target && e.target.closest && e.target.closest('a[href]');
    if (a && !a.getAttribute('href').startsWith('#')) e.preventDefault();
  });
  window.addEventListener('beforeunload', () => violate('navigation'));

  const text = (v) => { try { return String(v && v.stack ? v.message || v.stack : v).slice(0, 300); } catch { return '<unprintable>'; } };
  const tick = () => new Promise((r) => setTimeout(r, 0));
  async function settle() { await tick(); await tick(); }

  function visible(container) {
    if ((container.innerText || '').trim().length > 0) return true;
    for (const el of container.querySelectorAll('img, svg, canvas, input, button, textarea, select, video')) {
      const r = el.getBoundingClientRect();
      if (r.width * r.height > 0) return true;
    }
    return false;
  }

  function targets(container, max) {
    const els = container.querySelectorAll('button, [role="button"], [role="tab"], [role="switch"], input, textarea, select, a[href], [onclick], summary');
    return Array.from(els).filter((el) => !el.disabled && el.type !== 'hidden').slice(0, max);
  }

  const setValue = (el, value) => {
    const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };

  function act(el) {
    const tag = el.tagName;
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'SELECT') {
      if (el.options.length > 1) {
        el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    } else if (tag === 'TEXTAREA' || (tag === 'INPUT' && !['checkbox', 'radio', 'submit', 'button', 'reset', 'file', 'range', 'color'].includes(type))) {
      el.focus();
      const value = { number: '42', email: 'ada@example.com', date: '2026-01-02', 'datetime-local': '2026-01-02T10:30', time: '10:30', tel: '5551234', url: 'https://example.com' }[type] ?? 'hello world';
      setValue(el, value);
      if (el.form) el.form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
      else el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    } else {
      el.click();
    }
  }

  window.__genuiRun = async function run(js, opts) {
    const started = performance.now();
    const out = {
      mounted: false, renders: false, errors: [], console_errors: [], violations: state.violations,
      nodes: 0, text_chars: 0, attempted: 0, effective: 0, interaction_errors: 0, timed_out: false, ms: 0,
    };
    state.violations.length = 0;
    const onError = (e) => out.errors.push(text(e.error || e.message));
    const onRejection = (e) => out.errors.push(text(e.reason));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    console.error = (...args) => { if (out.console_errors.length < 20) out.console_errors.push(args.map(text).join(' ').slice(0, 300)); };
    const container = document.createElement('div');
    container.id = 'genui-root';
    document.body.appendChild(container);
    let root = null;
    try {
      const module = { exports: {} };
      const require = (name) => {
        if (name in modules) return modules[name];
        throw new Error(`module '${name}' is not available`);
      };
      try {
        new Function('module', 'exports', 'require', js)(module, module.exports, require);
      } catch (e) {
        out.errors.push('module: ' + text(e));
        return out;
      }
      const App = module.exports && (module.exports.default || (typeof module.exports === 'function' ? module.exports : null));
      if (typeof App !== 'function' && !(App && typeof App === 'object' && App.$$typeof)) {
        out.errors.push('no default-exported component');
        return out;
      }
      const { createElement } = modules.react;
      const { createRoot } = modules['react-dom/client'];
      const { flushSync } = modules['react-dom'];
      root = createRoot(container, {
        onUncaughtError: (e) => out.errors.push(text(e)),
        onCaughtError: (e) => out.errors.push('caught by an error boundary: ' + text(e)),
        onRecoverableError: (e) => out.console_errors.push('recoverable: ' + text(e)),
      });
      try {
        flushSync(() => root.render(createElement(App)));
      } catch (e) {
        out.errors.push(text(e));
      }
      await settle();
      // Idle window: with nobody touching it, a sane component commits a handful of times at most.
      const commitsBefore = window.__genuiCommits;
      await new Promise((r) => setTimeout(r, opts.idleMs));
      out.idle_commits = window.__genuiCommits - commitsBefore;
      if (out.idle_commits > opts.maxIdleCommits) violate('render_loop');
      out.nodes = container.getElementsByTagName('*').length;
      out.text_chars = (container.innerText || '').trim().length;
      if (out.nodes > opts.maxNodes) violate('dom_too_large');
      out.mounted = out.errors.length === 0;
      out.renders = out.mounted && out.nodes > 0 && visible(container);
      // Screenshot mode: leave it mounted for the picture; the Node side calls __genuiCleanup() afterwards.
      if (opts.keepMounted || !out.renders || state.violations.length) return out;

      // Interactions: each on a fresh list of what is there now, up to a bound; count those that change the DOM.
      for (const el of targets(container, opts.maxInteractions)) {
        if (performance.now() - started > opts.budgetMs) { out.timed_out = true; break; }
        if (!el.isConnected) continue;
        const before = container.innerHTML;
        const errs = out.errors.length;
        try { act(el); } catch (e) { out.errors.push('interaction: ' + text(e)); }
        await settle();
        out.attempted += 1;
        if (out.errors.length > errs) out.interaction_errors += 1;
        else if (container.innerHTML !== before) out.effective += 1;
        if (container.getElementsByTagName('*').length > opts.maxNodes) { violate('dom_too_large'); break; }
      }
      return out;
    } finally {
      out.ms = Math.round(performance.now() - started);
      const cleanup = () => {
        try { if (root) root.unmount(); } catch (e) { /* a component that throws on unmount is already scored */ }
        container.remove();
        // Stop timers the component left behind, so they cannot touch the next completion.
        const last = setTimeout(() => {}, 0);
        for (let id = 0; id <= last; id++) { clearTimeout(id); clearInterval(id); }
        window.removeEventListener('error', onError);
        window.removeEventListener('unhandledrejection', onRejection);
        console.error = realConsoleError;
      };
      if (opts.keepMounted) window.__genuiCleanup = cleanup;
      else cleanup();
    }
  };
})();
