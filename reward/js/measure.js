// Isolated-world measurement: runs in a CDP isolated world of the component's document, so it shares the DOM with
// the page but none of its JavaScript (prototypes, globals, MutationObserver, timers). It decides what a user can
// see, acts on the page like a user (clicks, typing, Enter, arrow keys, hover, range inputs, drag and drop, selects),
// and counts an interaction as effective only if something visible changed that would not have changed anyway:
// before each action it watches the same interval without acting, and changes in regions that change by themselves
// (tickers, random re-renders) are not credited to the action. Installed with the document (Page.
// addScriptToEvaluateOnNewDocument with a world name), in the completion's own frame only (see bootstrap.js).
if (window !== window.top && window.parent === window.top && location.protocol === 'https:') globalThis.__genuiMeasure = (() => {
  const IGNORED_ATTRS = new Set(['id', 'title', 'tabindex', 'role', 'name', 'for', 'autocomplete', 'spellcheck', 'draggable']);
  // A class change restyles only through CSS; the scoring page has no Tailwind, so a change of utility classes that
  // affect looks is taken as visible (visibility utilities are real, see VISIBILITY_CSS on the Node side).
  const VISUAL_CLASS = /^(?:[a-z0-9-]+:)*-?(?:bg|text|border|ring|shadow|opacity|font|underline|line-through|no-underline|italic|scale|rotate|translate|w|h|min-w|max-w|min-h|max-h|p[xytrbl]?|m[xytrbl]?|rounded|block|inline|flex|grid|hidden|invisible|visible|outline|fill|stroke|from|to|via|decoration|animate|transition|line-clamp|truncate)\b/;
  const seen = new WeakMap(); // node -> visible when last looked at
  const sigs = new WeakMap(); // element -> visual signature when last looked at
  const values = new WeakMap(); // form control -> its value when last looked at
  const selfChanges = new WeakMap(); // element -> number of windows without action in which it changed
  let lastControl = new WeakSet();
  let mo = null;
  let pending = []; // records delivered to the observer between our looks
  let generation = 0; // bumped whenever elements come or go: the list of targets is collected again only then
  let cached = { generation: -1, list: [] };
  let maxNodes = 20000;

  const tick = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
  async function settle(turns) {
    for (let i = 0; i < turns; i++) await tick();
  }
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function elVisible(el) {
    if (!el || el.nodeType !== 1 || !el.isConnected) return false;
    if (el.closest('[aria-hidden="true"]')) return false;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false; // sr-only: a 1x1 clipped box
    if (r.right <= 0 || r.bottom <= 0) return false; // off-screen where no scrolling reaches
    return true;
  }
  function nodeVisible(n) {
    if (n.nodeType === 3) return n.data.trim().length > 0 && elVisible(n.parentElement);
    return n.nodeType === 1 && elVisible(n) && (n.innerText || '').trim().length + (n.matches('img,svg,canvas,video,input,textarea,select,button,hr,progress,meter,iframe') ? 1 : 0) > 0;
  }
  function visualSig(el) {
    const s = getComputedStyle(el);
    return `${s.color}|${s.backgroundColor}|${s.fontSize}|${s.fontWeight}|${s.textDecorationLine}|${s.borderColor}|${s.transform}|${s.width}|${s.height}`;
  }
  function record(root) {
    // Remember what is visible under root now, to judge later whether a removal or a restyle was visible.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    let n = root;
    let count = 0;
    while (n && count < maxNodes) {
      count += 1;
      if (n.nodeType === 1) {
        const vis = elVisible(n);
        seen.set(n, vis);
        if (vis) sigs.set(n, visualSig(n));
        if (n.matches('input, textarea, select')) values.set(n, formValue(n));
        if (!vis && n !== document.body && n !== document.documentElement) {
          n = skipSubtree(walker, n);
          continue;
        }
      } else {
        seen.set(n, n.data.trim().length > 0 && seen.get(n.parentElement) === true);
      }
      n = walker.nextNode();
    }
  }
  function skipSubtree(walker, n) {
    // Mark a hidden subtree as hidden without measuring every node in it.
    const sub = document.createTreeWalker(n, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let m = sub.nextNode(); m; m = sub.nextNode()) seen.set(m, false);
    let next = n;
    while (next && !next.nextSibling) next = next.parentNode;
    walker.currentNode = next ? next.nextSibling : document.documentElement;
    return next ? next.nextSibling : null;
  }
  const formValue = (el) => (el.type === 'checkbox' || el.type === 'radio' ? String(el.checked) : el.tagName === 'SELECT' ? String(el.selectedIndex) : el.value);
  const classTokens = (s) => new Set((s || '').split(/\s+/).filter(Boolean));

  // Regions (elements) whose visible content changed since the last call; updates what we remember.
  function changes() {
    const out = new Set();
    const recs = pending.concat(mo.takeRecords());
    pending = [];
    if (recs.some((r) => r.type === 'childList' || r.attributeName === 'class' || r.attributeName === 'style')) generation += 1;
    const toRecord = new Set();
    for (const r of recs) {
      if (r.type === 'characterData') {
        const p = r.target.parentElement;
        if (p && r.oldValue !== r.target.data && (seen.get(r.target) || nodeVisible(r.target))) out.add(p);
        if (p) seen.set(r.target, nodeVisible(r.target));
      } else if (r.type === 'childList') {
        let vis = false;
        for (const n of r.removedNodes) if (seen.get(n)) vis = true;
        for (const n of r.addedNodes) {
          if (n.isConnected) toRecord.add(n);
          if (!vis && n.isConnected && nodeVisible(n)) vis = true;
        }
        if (vis && r.target.nodeType === 1) out.add(r.target);
      } else if (r.type === 'attributes') {
        const name = r.attributeName;
        const el = r.target;
        if (name.startsWith('data-') || (name.startsWith('aria-') && name !== 'aria-hidden') || IGNORED_ATTRS.has(name)) continue;
        const now = el.getAttribute(name);
        if (r.oldValue === now) continue;
        const before = seen.get(el) === true;
        const after = elVisible(el);
        let visible = before !== after;
        if (!visible && after) {
          if (name === 'class') {
            const a = classTokens(r.oldValue);
            const b = classTokens(now);
            for (const t of new Set([...a, ...b])) if (a.has(t) !== b.has(t) && VISUAL_CLASS.test(t)) visible = true;
          }
          if (!visible) visible = sigs.get(el) !== visualSig(el) || ['src', 'value', 'checked', 'open', 'hidden', 'style', 'd', 'href'].includes(name);
        }
        if (visible) out.add(el);
        toRecord.add(el);
      }
    }
    for (const n of toRecord) if (n.isConnected) record(n);
    // Form values change without DOM mutations.
    for (const el of document.querySelectorAll('input, textarea, select')) {
      const v = formValue(el);
      if (values.has(el) && values.get(el) !== v && elVisible(el)) out.add(el);
      values.set(el, v);
    }
    return out;
  }
  const attributable = (region) => {
    for (let a = region; a; a = a.parentElement) if (lastControl.has(a) || (selfChanges.get(a) || 0) >= 2) return false;
    return true;
  };
  function noteSelfChanges(regions) {
    lastControl = new WeakSet(regions);
    for (const r of regions) selfChanges.set(r, (selfChanges.get(r) || 0) + 1);
  }

  function visibleText() {
    return (document.body.innerText || '').trim().length;
  }

  function begin(opts) {
    maxNodes = opts.max_nodes;
    mo = new MutationObserver((recs) => { for (const r of recs) pending.push(r); });
    mo.observe(document.documentElement, { subtree: true, childList: true, characterData: true, characterDataOldValue: true, attributes: true, attributeOldValue: true });
    record(document.documentElement);
    const root = document.getElementById('root');
    const nodes = document.body.getElementsByTagName('*').length;
    let visible = false;
    if (root) {
      visible = visibleText() > 0;
      if (!visible) for (const el of root.querySelectorAll('img, svg, canvas, input, button, textarea, select, video')) if (elVisible(el)) { visible = true; break; }
    }
    return { nodes, visible, text_chars: visibleText() };
  }

  // A window without action: what changes by itself (a clock, a load that resolves, a live feed).
  async function idle(ms, turns) {
    if (ms > 0) await sleep(ms);
    await settle(turns);
    const regions = changes();
    noteSelfChanges(regions);
    return { changed: regions.size, nodes: document.body.getElementsByTagName('*').length };
  }

  const TEXT_TYPES = new Set(['', 'text', 'search', 'email', 'password', 'number', 'tel', 'url', 'date', 'datetime-local', 'time', 'month', 'week']);
  const SAMPLE = { number: '42', email: 'ada@example.com', date: '2026-01-02', 'datetime-local': '2026-01-02T10:30', time: '10:30', tel: '5551234', url: 'https://example.com', month: '2026-01', week: '2026-W01', password: 'hunter22' };
 const MAX_CANDIDATES = 300;
  const CLICKABLE = 'button, a[href], summary, [role=button], [role=tab], [role=switch], [role=menuitem], [role=checkbox], [role=option], [role=radio], [role=link], [onclick], [data-genui*="c"]';

  function kindOf(el) {
    const tag = el.tagName;
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'TEXTAREA' || (tag === 'INPUT' && TEXT_TYPES.has(type))) return 'type';
    if (tag === 'INPUT' && type === 'range') return 'range';
    if (tag === 'SELECT') return 'select';
    if (el.getAttribute('draggable') === 'true') return 'drag';
    const flags = el.getAttribute('data-genui') || '';
    if (flags.includes('h') && !flags.includes('c')) return 'hover';
    if (flags.includes('k') && !flags.includes('c')) return 'keys';
    return 'click';
  }
  function signature(el, kind) {
    const label = (el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    // Form fields are told apart by their name or id (a form's fields look alike, but each needs filling).
    const field = el.matches('input, textarea, select') ? el.getAttribute('name') || el.id || (el.labels?.[0]?.innerText || '').trim() : '';
    return `${kind}|${el.tagName}|${el.getAttribute('type') || ''}|${el.getAttribute('role') || ''}|${label}|${field}`;
  }
  function collectTargets() {
    if (cached.generation === generation) return cached.list.filter((el) => el.isConnected);
    document.dispatchEvent(new CustomEvent('genui:mark'));
    pending.push(...mo.takeRecords()); // the marks themselves (data-* attributes) are not a change
    const found = new Set();
    let examined = 0;
    for (const el of document.querySelectorAll(`#root input, #root textarea, #root select, #root [draggable=true], #root [data-genui], #root ${CLICKABLE.split(', ').join(', #root ')}`)) {
      if (++examined > MAX_CANDIDATES) break; // a wall of 2,000 buttons costs no more than a few hundred
      if (el.disabled || el.getAttribute('type') === 'hidden' || el.getAttribute('type') === 'file') continue;
      if (!elVisible(el)) continue;
      // A button inside a clickable card is its own target; a card's inner text is not.
      found.add(el);
    }
    // cursor:pointer on elements no handler list names (listeners added with addEventListener)
    let scanned = 0;
    for (const el of document.querySelectorAll('#root div, #root li, #root span, #root img, #root tr, #root td, #root article, #root section, #root p, #root h1, #root h2, #root h3')) {
      if (++scanned > MAX_CANDIDATES) break;
      if (found.has(el) || getComputedStyle(el).cursor !== 'pointer') continue;
      if (el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer') continue;
      if (elVisible(el)) found.add(el);
    }
    const list = [...found];
    // Fill fields before pressing the buttons that submit them.
    const rank = (el) => ({ type: 0, range: 1, select: 1 })[kindOf(el)] ?? 2;
    cached = { generation, list: list.sort((a, b) => rank(a) - rank(b)) };
    return cached.list;
  }

  const nativeValue = (el, value) => {
    const proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : el.tagName === 'SELECT' ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const key = (target, k, code) => {
    for (const type of ['keydown', 'keypress', 'keyup']) {
      if (type === 'keypress' && k.length > 1 && k !== 'Enter') continue;
      target.dispatchEvent(new KeyboardEvent(type, { key: k, code: code || k, bubbles: true, cancelable: true, composed: true }));
    }
  };
  const mouse = (el, type, opts = {}) => {
    const r = el.getBoundingClientRect();
    const init = { bubbles: !/enter|leave/.test(type), cancelable: true, composed: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, view: window, ...opts };
    el.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, { pointerId: 1, pointerType: 'mouse', isPrimary: true, ...init }) : new MouseEvent(type, init));
  };

  function act(el, kind) {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    if (kind === 'type') {
      el.focus();
      const type = (el.getAttribute('type') || '').toLowerCase();
      nativeValue(el, SAMPLE[type] ?? 'hello world');
      key(el, 'Enter');
      const form = el.form;
      if (form && form.querySelectorAll('input:not([type=hidden]), textarea').length === 1 && !form.querySelector('[type=submit], button:not([type=button])')) form.requestSubmit();
    } else if (kind === 'range') {
      const min = Number(el.min || 0);
      const max = Number(el.max || 100);
      const v = Number(el.value);
      nativeValue(el, String(v >= (min + max) / 2 ? min + (max - min) / 4 : max - (max - min) / 4));
    } else if (kind === 'select') {
      if (el.options.length > 1) {
        el.selectedIndex = (el.selectedIndex + 1) % el.options.length;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }
    } else if (kind === 'hover') {
      for (const t of ['pointerover', 'pointerenter', 'mouseover', 'mouseenter', 'mousemove']) mouse(el, t, { relatedTarget: document.body });
    } else if (kind === 'keys') {
      el.focus();
      for (const k of ['ArrowRight', 'ArrowDown', ' ']) key(el, k, k === ' ' ? 'Space' : k); // no key undoes another
    } else if (kind === 'drag') {
      const zone = [...document.querySelectorAll('#root [data-genui*="d"], #root [ondrop]')].find((z) => !z.contains(el) && elVisible(z));
      const dt = new DataTransfer();
      const drag = (target, type) => target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, composed: true, dataTransfer: dt }));
      drag(el, 'dragstart');
      if (zone) for (const type of ['dragenter', 'dragover', 'drop']) drag(zone, type);
      drag(el, 'dragend');
    } else {
      mouse(el, 'pointerdown');
      mouse(el, 'mousedown');
      mouse(el, 'pointerup');
      mouse(el, 'mouseup');
      el.click();
    }
  }

  // The interactions, each on a fresh list of what is on the page now (new steps, modals, revealed panels).
  async function interact(opts) {
    const started = performance.now();
    const tried = new Map(); // signature -> attempts
    const log = [];
    let keysDone = false;
    let controlChanges = 0;
    while (log.length < opts.max_interactions) {
      // Out of time for acting: stop (a slow page is not a broken one; a stuck one is cut off from outside).
      if (performance.now() - started > opts.budget_ms) return { log, cut: true, controlChanges };
      let el = null;
      let kind = null;
      let sig = null;
      for (const cand of collectTargets()) {
        const k = kindOf(cand);
        const s = signature(cand, k);
        if ((tried.get(s) || 0) < opts.max_per_signature && !log.some((x) => x.node === cand)) {
          el = cand;
          kind = k;
          sig = s;
          break;
        }
      }
      if (!el && !keysDone && document.documentElement.getAttribute('data-genui-keys') === '1') {
        el = document.activeElement && document.activeElement !== document.body ? document.activeElement : document.body;
        kind = 'keys';
        sig = 'keys|document';
        keysDone = true;
      }
      if (!el) break;
      tried.set(sig, (tried.get(sig) || 0) + 1);
      // Control: the same interval without acting.
      await settle(opts.settle_turns);
      const selfChanged = changes();
      noteSelfChanges(selfChanged);
      if (selfChanged.size) controlChanges += 1;
      const t0 = performance.now();
      try {
        act(el, kind);
      } catch (e) {
        log.push({ node: el, sig, kind, t0, t1: performance.now(), effective: false, threw: String(e && e.message) });
        continue;
      }
      await settle(opts.settle_turns);
      let regions = changes();
      if (!regions.size && opts.settle_ms > 0) {
        // Slower effects of an action (a clipboard write, a promise chain): one more look, a little later.
        await sleep(opts.settle_ms);
        await settle(opts.settle_turns);
        regions = changes();
      }
      const effective = [...regions].some(attributable);
      log.push({ node: el, sig, kind, t0, t1: performance.now(), effective });
      if (document.body.getElementsByTagName('*').length > opts.max_nodes) return { log, dom_too_large: true, controlChanges };
    }
    return { log, controlChanges };
  }

  async function run(opts) {
    const out = await interact(opts);
    return {
      cut: !!out.cut,
      control_changes: out.controlChanges,
      dom_too_large: !!out.dom_too_large,
      interactions: out.log.map(({ sig, kind, t0, t1, effective, threw }) => ({ sig, kind, t0, t1, effective, threw: threw || null })),
      text_chars: visibleText(),
      nodes: document.body.getElementsByTagName('*').length,
    };
  }

  // Mounted: what is on the page, then a window without action.
  async function start(opts) {
    const begun = begin(opts);
    const idled = await idle(opts.idle_ms, opts.settle_turns);
    return { begun, idle: idled };
  }

  return { start, idle, run };
})();
