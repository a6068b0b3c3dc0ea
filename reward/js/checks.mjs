// The render page's accessibility and layout checks (checks.js, run in the isolated world of the completion's frame)
// and the judge's views of a page (screenshots at given widths, visible text, accessibility tree). Both work on the
// same sandboxed frame as the rest of the render; render.mjs calls them from Slot.run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const MAX_TEXT_BOXES = 400; // text nodes looked at per width: overlap is pairwise

// checks.js with Tailwind's browser build and axe-core inlined as functions that run only when called.
export function checksScript() {
  const read = (...p) => fs.readFileSync(path.join(ROOT, 'node_modules', ...p), 'utf8');
  return fs.readFileSync(path.join(HERE, 'checks.js'), 'utf8')
    .replace('/* TAILWIND */', () => read('@tailwindcss', 'browser', 'dist', 'index.global.js'))
    .replace('/* AXE */', () => read('axe-core', 'axe.min.js'))
    + '\n//# sourceURL=genui-checks.js';
}

// The completion's frame at `width` CSS px (null: back to the slot's viewport), set from the top document.
function frameWidth(slot, width) {
  const w = width ? `${width}px` : '';
  return slot.page.send('Runtime.evaluate', { expression: `document.querySelector('iframe').style.width = '${w}'` });
}

// Layout at each of opts.widths and axe's serious/critical violations, on the page as it is now (styled by Tailwind).
export async function runChecks(slot, job, opts) {
  const styled = await slot.eval(job.isoCtx, `__genuiChecks.style(${Number(opts.screenshot_wait_ms) || 150})`);
  const layout = {};
  for (const width of opts.widths) {
    await frameWidth(slot, width);
    layout[width] = await slot.eval(job.isoCtx, `__genuiChecks.layout(${JSON.stringify({ max_text_boxes: MAX_TEXT_BOXES })})`);
  }
  await frameWidth(slot, null);
  const a11y = await slot.eval(job.isoCtx, '__genuiChecks.accessibility()');
  return { styled, layout, ...a11y };
}

// The accessibility tree of the completion's frame as indented "role "name"" lines (ignored nodes left out).
function axTreeText(nodes, maxLines = 400) {
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const lines = [];
  const walk = (node, depth) => {
    if (!node || lines.length >= maxLines) return;
    const role = node.role?.value;
    const name = node.name?.value || '';
    const shown = !node.ignored && role && !['generic', 'none', 'InlineTextBox', 'LineBreak'].includes(role)
      && !(role === 'StaticText' && !name.trim());
    if (shown) lines.push(`${'  '.repeat(depth)}${role}${name ? ` "${name.slice(0, 80)}"` : ''}`);
    for (const id of node.childIds || []) walk(byId.get(id), depth + (shown ? 1 : 0));
  };
  walk(nodes.find((n) => !n.parentId), 0);
  return lines.join('\n');
}

// What the judge sees: a full-page screenshot at each of opts.widths, the visible text and the accessibility tree.
export async function captureViews(slot, job, opts, screenshot) {
  const shots = {};
  for (const width of opts.widths) {
    await frameWidth(slot, width);
    shots[width] = await screenshot(width);
  }
  await frameWidth(slot, null);
  const text = await slot.eval(job.isoCtx, "(document.body.innerText || '').replace(/\\n{3,}/g, '\\n\\n').trim()");
  const { nodes } = await slot.page.send('Accessibility.getFullAXTree', { frameId: job.frameId });
  return { screenshots: shots, text, a11y_tree: axTreeText(nodes) };
}
