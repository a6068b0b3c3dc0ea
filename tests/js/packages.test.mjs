// Allowed packages (reward/js/packages.mjs) with the real example packages from package.json (react-feather, clsx):
// an answer that imports them compiles against exact export names and runs against the page's modules; a wrong
// name, a missing subpath and an unlisted package fail with named errors. Run by tests/test_packages.py
// (`node --test`). The page is stood in for by a Node vm context and react-dom/server (tests/test_packages.py also
// renders in Chromium through the reward).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { compile } from '../../reward/js/compile.mjs';
import { pageModules } from '../../reward/js/packages.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGES_DIR = path.join(ROOT, 'node_modules');
const PACKAGES = ['react-feather', 'clsx'];

// The reward's own compile check (compile.mjs), with the recipe's packages from their node_modules folder.
async function compileWithPackages(code, packages = PACKAGES) {
  return compile(code, ['react', 'react-dom', ...packages], PACKAGES_DIR);
}

// The page: React and the listed packages bundled once, as render.mjs does, plus react-dom/server to read the markup.
let page;
async function pageContext() {
  if (page) return page;
  const extra = pageModules({ packages: PACKAGES, packagesDir: PACKAGES_DIR, reactDir: ROOT });
  const vendor = await esbuild.build({
    stdin: {
      contents: `import * as React from 'react'; import * as JSX from 'react/jsx-runtime';
        import * as Server from 'react-dom/server';
        window.__genuiModules = { react: React, 'react/jsx-runtime': JSX, 'react-dom/server': Server };
        ${extra.contents}`,
      resolveDir: ROOT,
    },
    bundle: true, write: false, format: 'iife', platform: 'browser', logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' }, plugins: [extra.plugin], nodePaths: extra.nodePaths,
  });
  // react-dom/server.browser wants a MessageChannel at load time (for streaming); the sync render below never uses it.
  const MessageChannel = class { port1 = {}; port2 = { postMessage() {} }; };
  const context = vm.createContext({ TextEncoder, console, setTimeout, clearTimeout, MessageChannel });
  context.window = context;
  vm.runInContext(vendor.outputFiles[0].text, context);
  page = context;
  return page;
}

async function renderMarkup(js) {
  const context = await pageContext();
  const modules = context.__genuiModules;
  const module = { exports: {} };
  const require = (name) => {
    if (name in modules) return modules[name];
    throw new Error(`module '${name}' is not available`);
  };
  vm.runInContext(`(function (module, exports, require) { ${js} })`, context)(module, module.exports, require);
  const App = module.exports.default;
  return modules['react-dom/server'].renderToStaticMarkup(modules.react.createElement(App));
}

const APP = `
import { useState } from 'react';
import { Heart, Star } from 'react-feather';
import clsx from 'clsx';
export default function App() {
  const [liked, setLiked] = useState(true);
  return (
    <button className={clsx('btn', liked && 'btn-liked', { hidden: false })} onClick={() => setLiked(!liked)}>
      <Heart size={16} /> <Star /> Like
    </button>
  );
}`;

test('an answer importing allowed packages compiles without carrying them, and renders their output', async () => {
  const out = await compileWithPackages(APP);
  assert.ok(out.ok, out.errors.join('\n'));
  assert.match(out.js, /require\("react-feather"\)/);
  assert.ok(out.js.length < 5000, `the package must stay on the page, not in the answer (${out.js.length} bytes)`);
  assert.ok(!out.js.includes('"Activity"'), 'unused icons are dropped from the stub');
  const html = await renderMarkup(out.js);
  assert.match(html, /^<button class="btn btn-liked">/); // clsx ran: falsy entries dropped
  assert.equal((html.match(/<svg/g) || []).length, 2); // both icons rendered as SVG
  assert.match(html, /width="16"/); // the size prop reached the icon
});

test('default and namespace imports work', async () => {
  const code = `import * as Icons from 'react-feather'; import cx from 'clsx';
    export default function App() { return <p className={cx('a', 'b')}><Icons.Bell /></p>; }`;
  const out = await compileWithPackages(code);
  assert.ok(out.ok, out.errors.join('\n'));
  assert.match(await renderMarkup(out.js), /^<p class="a b"><svg/);
});

test('a name the package does not export fails at compile time, by name', async () => {
  const out = await compileWithPackages(`import { NoSuchIcon } from 'react-feather';
    export default function App() { return <NoSuchIcon />; }`);
  assert.equal(out.ok, false);
  assert.match(out.errors[0], /No matching export .*react-feather.* for import "NoSuchIcon"/);
});

test('a subpath of a listed package is bundled into the answer', async () => {
  const out = await compileWithPackages(`import Heart from 'react-feather/dist/icons/heart';
    export default function App() { return <Heart />; }`);
  assert.ok(out.ok, out.errors.join('\n'));
  assert.ok(!out.js.includes('require("react-feather')); // nothing left for the page to provide
  assert.match(await renderMarkup(out.js), /^<svg/);
});

test('a subpath that does not exist fails with a named error', async () => {
  const out = await compileWithPackages(`import X from 'react-feather/no/such/file';
    export default function App() { return <X />; }`);
  assert.equal(out.ok, false);
  assert.match(out.errors[0], /imports 'react-feather\/no\/such\/file', which cannot be resolved/);
});

test('an unlisted package still fails, by name, even when it is installed', async () => {
  const code = `import { Heart } from 'react-feather'; export default function App() { return <Heart />; }`;
  const ours = await compileWithPackages(code, ['clsx']);
  assert.equal(ours.ok, false);
  assert.match(ours.errors[0], /imports 'react-feather', which is not installed \(allowed: react, react-dom, clsx\)/);
  const none = await compile(code, ['react', 'react-dom'], PACKAGES_DIR);
  assert.equal(none.ok, false);
  assert.match(none.errors[0], /imports 'react-feather', which is not installed \(allowed: react, react-dom\)/);
});

test('a package name is not a prefix match: clsx-extra is not clsx', async () => {
  const out = await compileWithPackages(`import x from 'clsx-extra'; export default function App() { return <i className={x()} />; }`);
  assert.equal(out.ok, false);
  assert.match(out.errors[0], /imports 'clsx-extra', which is not installed/);
});

test('with no packages listed, the page build is unchanged', () => {
  const none = pageModules({ packages: ['react', 'react-dom'], packagesDir: null, reactDir: ROOT });
  assert.equal(none.contents, '');
  assert.deepEqual(none.nodePaths, []);
});
