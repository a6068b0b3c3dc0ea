// Accessibility and layout checks, in the same CDP isolated world as measure.js (the page shares the DOM with it,
// none of its JavaScript), in the completion's own frame. render.mjs calls them at the end of a render, after the
// interactions, so they change nothing the other measurements see. Tailwind's browser build and axe-core are
// inlined by checks.mjs at the two placeholders below, inside functions: they only run when called.
if (window !== window.top && window.parent === window.top && location.protocol === 'https:') globalThis.__genuiChecks = (() => {
  // What axe checks: names of controls, labels, alt text, contrast, and ARIA that lies about an element
  // (aria-label spam on elements that are not controls, hidden focusable content). Only serious and critical count.
  const AXE_RULES = [
    'button-name', 'link-name', 'label', 'input-button-name', 'select-name', 'image-alt', 'input-image-alt',
    'role-img-alt', 'svg-img-alt', 'color-contrast', 'aria-command-name', 'aria-input-field-name',
    'aria-toggle-field-name', 'aria-prohibited-attr', 'aria-allowed-attr', 'aria-required-attr',
    'aria-valid-attr', 'aria-valid-attr-value', 'aria-hidden-focus', 'aria-roles', 'nested-interactive',
    'frame-title', 'duplicate-id-aria',
  ];
  const CONTROLS = 'button,a[href],input,select,textarea,[role=button],[role=link],[tabindex]:not([tabindex="-1"])';

  let styled = null;
  // Tailwind's browser build styles the page (the scoring page has none): layout and contrast as a user sees them.
  function style(timeoutMs) {
    styled ??= new Promise((resolve) => {
      // Phones overlay their scrollbars: the page gets the whole width at every checked width
      const bars = document.createElement('style');
      bars.textContent = 'html{scrollbar-width:none}';
      document.head.append(bars);
      const before = document.head.querySelectorAll('style').length;
      /* TAILWIND */
      const sheet = document.head.querySelectorAll('style')[before];
      const started = performance.now();
      const poll = () => {
        if ((sheet && sheet.textContent) || performance.now() - started > timeoutMs) resolve(!!(sheet && sheet.textContent));
        else setTimeout(poll, 5);
      };
      poll();
    });
    return styled;
  }

  function visible(el) {
    return el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }

  // Text boxes of the page: one rect per visible text node (first line box), with its element.
  function textBoxes(limit) {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n && out.length < limit; n = walker.nextNode()) {
      if (!n.data.trim() || !n.parentElement || !visible(n.parentElement)) continue;
      if (n.parentElement.closest('script,style,noscript,template')) continue;
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;
      out.push({ node: n, el: n.parentElement, r });
    }
    return out;
  }

  // The horizontal span [left, right] that shows `el`: the viewport, narrowed by ancestors that clip sideways
  // (overflow-x hidden | clip, the usual hack to hide an overflowing page). null: inside something the user can scroll
  // sideways (overflow-x auto | scroll), or text shortened on purpose (text-overflow: ellipsis): reachable, not cut.
  function clipSpan(el, width, scrolls) {
    let left = 0, right = scrolls ? Infinity : width; // a page that scrolls sideways reaches past the right edge
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.textOverflow === 'ellipsis') return null;
      if (s.overflowX === 'hidden' || s.overflowX === 'clip') {
        const r = e.getBoundingClientRect();
        left = Math.max(left, r.left);
        right = Math.min(right, r.right);
      }
    }
    return [left, right];
  }

  // Painted over by an opaque layer of `top`'s own (a modal panel over the page): covered, not overlapping.
  function opaqueBetween(top, common) {
    for (let e = top; e && e !== common; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return true;
    }
    return false;
  }

  function commonAncestor(a, b) {
    const seen = new Set();
    for (let e = a; e; e = e.parentElement) seen.add(e);
    for (let e = b; e; e = e.parentElement) if (seen.has(e)) return e;
    return null;
  }

  function overlaps(boxes, maxPairs) {
    const found = [];
    for (let i = 0; i < boxes.length && found.length < maxPairs; i++) {
      for (let j = i + 1; j < boxes.length && found.length < maxPairs; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w <= 0 || h <= 0) continue;
        const smaller = Math.min(a.width * a.height, b.width * b.height);
        if (w * h < 0.25 * smaller) continue;
        const ea = boxes[i].el, eb = boxes[j].el;
        if (ea === eb || ea.contains(eb) || eb.contains(ea)) continue;
        // Which one is painted on top, at the middle of the overlap
        const x = Math.max(a.left, b.left) + w / 2, y = Math.max(a.top, b.top) + h / 2;
        const hit = document.elementFromPoint(x, y);
        if (!hit) continue;
        const top = ea.contains(hit) || hit.contains(ea) ? ea : eb.contains(hit) || hit.contains(eb) ? eb : null;
        if (!top) continue; // something else is on top of both (a backdrop): neither is readable there
        if (opaqueBetween(top, commonAncestor(ea, eb))) continue;
        found.push(`"${boxes[i].node.data.trim().slice(0, 30)}" / "${boxes[j].node.data.trim().slice(0, 30)}"`);
      }
    }
    return found;
  }

  // The layout at the frame's current width: does the page overflow sideways, is content cut off at an edge of the
  // viewport (partly in, partly out, where no scrolling reaches it), does text overlap text, is the page blank?
  function layout(opts) {
    const width = document.documentElement.clientWidth;
    const overflowPx = Math.max(0, document.documentElement.scrollWidth - width, document.body.scrollWidth - width);
    const boxes = textBoxes(opts.max_text_boxes);
    const cut = [];
    // Partly shown, partly past an edge no scrolling reaches (a box wholly outside is hidden, e.g. a closed drawer):
    // how many px are cut off (the grader has the tolerance), else 0.
    const root = [document.documentElement, document.body].map((e) => getComputedStyle(e).overflowX);
    const scrolls = overflowPx > 0 && !root.some((o) => o === 'hidden' || o === 'clip');
    const cutOff = (r, el) => {
      const span = clipSpan(el, width, scrolls);
      if (!span) return 0;
      const [left, right] = span;
      const px = Math.max(r.left < left && r.right > left ? left - r.left : 0, r.right > right && r.left < right ? r.right - right : 0);
      return Math.round(px);
    };
    const add = (px, what) => { if (px > 0 && cut.length < 8) cut.push({ what, px }); };
    for (const b of boxes) add(cutOff(b.r, b.el), `text "${b.node.data.trim().slice(0, 30)}"`);
    for (const el of document.body.querySelectorAll(CONTROLS)) {
      if (cut.length >= 8) break;
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 2 && r.height > 2) add(cutOff(r, el.parentElement), `<${el.tagName.toLowerCase()}>`);
    }
    let media = 0;
    for (const el of document.body.querySelectorAll('img,svg,canvas,video,input,textarea,select,button')) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width * r.height >= 100 && r.right > 0 && r.left < width && r.bottom > 0) media += 1;
    }
    return {
      width,
      overflow_px: Math.round(overflowPx),
      cut_off: cut,
      overlaps: overlaps(boxes, 5),
      text_boxes: boxes.length,
      blank: boxes.length === 0 && media === 0,
    };
  }

  // Share of the visible text that assistive technology cannot reach (aria-hidden on content, role=presentation on
  // a subtree): hiding the page from screen readers is not a way to pass the checks.
  function hiddenTextShare() {
    let all = 0, hidden = 0;
    for (const b of textBoxes(2000)) {
      const n = b.node.data.trim().length;
      all += n;
      if (b.el.closest('[aria-hidden="true"]')) hidden += n;
    }
    return all ? hidden / all : 0;
  }

  let axeLoaded = false;
  async function accessibility() {
    if (!axeLoaded) {
      /* AXE */
      axeLoaded = true;
    }
    const result = await axe.run(document, {
      runOnly: { type: 'rule', values: AXE_RULES },
      resultTypes: ['violations'],
      elementRef: false,
      selectors: true,
      ancestry: false,
      xpath: false,
    });
    const violations = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: (v.nodes[0]?.html || '').slice(0, 120) }));
    return { violations, hidden_text_share: Math.round(100 * hiddenTextShare()) / 100 };
  }

  return { style, layout, accessibility };
})();
