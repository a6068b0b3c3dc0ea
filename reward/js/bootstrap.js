// Main-world bootstrap: runs in every new document before anything else (Page.addScriptToEvaluateOnNewDocument),
// then loads React (the vendor bundle is spliced in at VENDOR below). It acts only in a completion's own frame (a
// child of the slot's top document, see render.mjs). It keeps, in a closure no page code can reach, what only the
// page's own world can see: uncaught errors, console errors, React commits and the React props that mark an element
// as clickable. Everything it needs later is captured now, before the component's code exists, so redefining
// prototypes or globals afterwards changes nothing here. The Node side takes the handle once, through
// __genuiTake(), in the same call that mounts the component; after that the only way in is that CDP handle.
(() => {
  // The completion's frame is a child of the slot's top document; that document, and frames inside a component, get
  // no React and no bootstrap.
  if (window === window.top || window.parent !== window.top || location.protocol !== 'https:') return;
  const uncurry = (f) => Function.prototype.call.bind(f);
  const now = Performance.prototype.now.bind(performance);
  const slice = uncurry(String.prototype.slice);
  const replace = uncurry(String.prototype.replace);
  const startsWith = uncurry(String.prototype.startsWith);
  const setAttribute = uncurry(Element.prototype.setAttribute);
  const removeAttribute = uncurry(Element.prototype.removeAttribute);
  const qsa = uncurry(Document.prototype.querySelectorAll);
  const addListener = uncurry(EventTarget.prototype.addEventListener);
  const keys = Object.keys;
  const defineProperty = Object.defineProperty;
  const StringCtor = String;
  const DOMExceptionCtor = DOMException;
  const domExceptionName = uncurry(Object.getOwnPropertyDescriptor(DOMException.prototype, 'name').get);
  const apply = Reflect.apply;

  const state = { errors: '', nErrors: 0, console: '', nConsole: 0, commits: 0, mountCommits: 0, keyListeners: false, network: 0, status: 'not mounted' };
  const text = (v) => {
    try {
      const s = v && typeof v === 'object' && 'message' in v ? v.message : v;
      return replace(slice(StringCtor(s), 0, 300), /[\t\n]+/g, ' ');
    } catch {
      return '<unprintable>';
    }
  };
  const addError = (kind, v) => {
    if (state.nErrors < 20) state.errors += `${Math.round(now())}\t${kind}\t${text(v)}\n`;
    state.nErrors += 1;
  };
  const addConsole = (s) => {
    if (state.nConsole < 20) state.console += `${Math.round(now())}\t${replace(slice(s, 0, 300), /[\t\n]+/g, ' ')}\n`;
    state.nConsole += 1;
  };

  // React DevTools' hook, installed before React loads: React calls onCommitFiberRoot on every commit, which is how
  // a component that re-renders forever is told from one that is idle. Frozen and pinned to window.
  const hook = Object.freeze({
    isDisabled: false, supportsFiber: true, renderers: new Map(), inject() { return 1; }, checkDCE() {},
    onCommitFiberRoot() { state.commits += 1; }, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {}, setStrictMode() {},
  });
  defineProperty(window, '__REACT_DEVTOOLS_GLOBAL_HOOK__', { value: hook, writable: false, configurable: false });

  // Console errors (React reports missing keys, bad nesting and the like this way). console.error is pinned, so a
  // component cannot silence React's warnings by replacing it.
  const realError = console.error;
  const loggedError = function (...args) {
    let s = '';
    for (let i = 0; i < args.length; i++) s += (i ? ' ' : '') + text(args[i]);
    addConsole(s);
    return apply(realError, console, args);
  };
  defineProperty(console, 'error', { value: loggedError, writable: false, configurable: false });
  defineProperty(window, 'console', { value: console, writable: false, configurable: false });

  // Uncaught errors: our capture listeners are the first on window, so no later listener can cancel them first.
  addListener(window, 'error', (e) => {
    if (e instanceof ErrorEvent) addError('error', e.error !== undefined && e.error !== null ? e.error : e.message);
  }, true);
  addListener(window, 'unhandledrejection', (e) => {
    const r = e.reason;
    // Media that cannot play in a headless browser (no codec, no source, interrupted play()) is not the component's
    // fault.
    if (r instanceof DOMExceptionCtor && ['NotSupportedError', 'NotAllowedError', 'AbortError'].includes(domExceptionName(r))) return;
    addError('rejection', r);
  }, true);

  // Keyboard listeners on window/document: a board or game that listens for keys gets arrow keys.
  const realAdd = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    if ((this === window || this === document || this === document.body) && /^key/.test(StringCtor(type))) state.keyListeners = true;
    return apply(realAdd, this, [type, ...rest]);
  };

  // WebRTC cannot reach anything (no network), but trying is scored like any other network use.
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection']) {
    const Real = window[name];
    if (typeof Real !== 'function') continue;
    window[name] = new Proxy(Real, { construct(target, args, newTarget) { state.network += 1; return Reflect.construct(target, args, newTarget); } });
  }

  // Mark what React says a user can act on (the isolated world cannot see React's props: they live on this world's
  // objects). Marks are data-* attributes, which the effectiveness measure never counts as a visible change.
  const PROPS = { c: ['onClick', 'onMouseDown', 'onPointerDown', 'onDoubleClick'], h: ['onMouseEnter', 'onMouseOver', 'onPointerEnter'],
    d: ['onDrop'], k: ['onKeyDown', 'onKeyUp', 'onKeyPress'] };
  const mark = () => {
    for (const el of qsa(document, '[data-genui]')) removeAttribute(el, 'data-genui');
    let n = 0;
    for (const el of qsa(document, 'body *')) {
      if (++n > 5000) break;
      let props = null;
      for (const k of keys(el)) if (startsWith(k, '__reactProps$')) { props = el[k]; break; }
      if (!props) continue;
      let flags = '';
      for (const f in PROPS) for (const p of PROPS[f]) if (typeof props[p] === 'function') { flags += f; break; }
      if (flags) setAttribute(el, 'data-genui', flags);
    }
    if (state.keyListeners) setAttribute(document.documentElement, 'data-genui-keys', '1');
  };
  addListener(document, 'genui:mark', mark, true);

  // React's development build reports every component render to the browser's performance timeline through
  // console.timeStamp (its "performance tracks") when that function exists as it loads: a CDP event per call
  // (~40 per completion) and work in every commit, for a timeline nobody records here. It is hidden while React
  // loads, then put back for the page.
  const timeStamp = console.timeStamp;
  console.timeStamp = undefined;
  /* VENDOR */
  console.timeStamp = timeStamp;
  const modules = window.__genuiModules;
  delete window.__genuiModules;
  const { createElement } = modules.react;
  const { createRoot } = modules['react-dom/client'];
  const { flushSync } = modules['react-dom'];
  const container = document.createElement('div');
  container.id = 'root';

  // The document is tiny and usually parsed by the time the Node side mounts; if not, mount once it is.
  const parsed = new Promise((resolve) => {
    if (document.readyState !== 'loading') resolve();
    else addListener(document, 'DOMContentLoaded', resolve, { once: true, capture: true });
  });

  async function mount(js) {
    await parsed;
    state.status = mountNow(js);
    state.mountCommits = state.commits; // the idle window after mounting counts commits from here
  }

  function mountNow(js) {
    document.body.appendChild(container);
    const module = { exports: {} };
    const require = (name) => {
      if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
      throw new Error(`module '${name}' is not available`);
    };
    try {
      new Function('module', 'exports', 'require', js)(module, module.exports, require);
    } catch (e) {
      addError('module', e);
      return 'module_error';
    }
    const exp = module.exports;
    const App = exp && (exp.default || (typeof exp === 'function' ? exp : null));
    if (typeof App !== 'function' && !(App && typeof App === 'object' && App.$$typeof)) {
      addError('module', 'no default-exported component');
      return 'no_component';
    }
    try {
      const root = createRoot(container, {
        onUncaughtError: (e) => addError('render', e),
        onCaughtError: (e) => addError('boundary', e),
        onRecoverableError: (e) => addConsole('recoverable: ' + text(e)),
      });
      flushSync(() => root.render(createElement(App)));
    } catch (e) {
      addError('render', e);
    }
    return 'mounted';
  }

  // Read by the Node side: a string built by concatenation, so no page-defined toJSON or getter takes part.
  const probe = () => `${state.commits}\n${state.nErrors}\n${state.nConsole}\n${state.network}\n${state.status}\n${state.mountCommits}\u0001${state.errors}\u0001${state.console}`;
  const handle = { mount, probe };
  window.__genuiTake = () => {
    delete window.__genuiTake;
    return handle;
  };
})();
