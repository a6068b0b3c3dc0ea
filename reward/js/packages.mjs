// Packages a completion may import besides React ("allowed packages", e.g. an icon set or a team's design system),
// resolved from a node_modules folder the recipe names. Two halves, one rule:
//
// - Compile check (compile.mjs adds `packagesPlugin` before its allowlist): an import of a listed package resolves to
//   a small stub that re-exports exactly the names the package exports, so `import { NoSuchIcon } from 'pkg'` fails
//   at compile time with esbuild's "No matching export" error. The stub `require`s the package, which stays external:
//   the answer's compiled JS does not carry the package. A subpath of a listed package ('pkg/icons/heart') is
//   bundled into the answer instead (it is small, and the page cannot know every subpath in advance).
// - The render page (render.mjs adds `pageModules` to the build that bundles React into the page): each listed
//   package is bundled once per page, against the page's own React (never a second copy), and registered in
//   `window.__genuiModules`, where the page's `require` finds it.
// Anything not listed still falls through to compile.mjs's allowlist and fails with its named error.
//
// What a package exports is read from esbuild's metafile for the package's entry, built once per (package, folder)
// and cached. A CommonJS entry has no static export list: its imports are not name-checked (a wrong name then fails
// at render time, as `undefined` is not a component).
import path from 'node:path';
import * as esbuild from 'esbuild';

const REACT = /^(react|react-dom)(\/.*)?$/;
const REACT_EXTERNALS = ['react', 'react-dom', 'react/*', 'react-dom/*'];
const NAMESPACE = 'genui-package';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['default', 'class', 'delete', 'enum', 'export', 'function', 'import', 'new', 'return', 'var']);

export const listedRoot = (spec, packages) => packages.find((p) => spec === p || spec.startsWith(p + '/'));

const modules = new Map(); // `${packagesDir}\0${spec}` -> Promise<{format, exports, js} | {error}>

/** Bundle one import specifier from `packagesDir` (React kept external) and read its export names. Cached. */
export function describeModule(spec, packagesDir) {
  const key = `${packagesDir}\0${spec}`;
  if (!modules.has(key)) {
    modules.set(key, esbuild.build({
      entryPoints: [spec],
      absWorkingDir: path.dirname(packagesDir),
      nodePaths: [packagesDir],
      bundle: true, write: false, format: 'esm', metafile: true, platform: 'browser', outdir: 'genui-packages',
      external: REACT_EXTERNALS, logLevel: 'silent',
    }).then((result) => {
      const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
      return {
        format: result.metafile.inputs[out.entryPoint]?.format ?? 'esm',
        exports: out.exports,
        js: result.outputFiles.find((f) => f.path.endsWith('.js')).text,
      };
    }, (err) => ({ error: (err.errors || [{ text: String(err) }]).map((e) => e.text).join('; ') })));
  }
  return modules.get(key);
}

/** The stub a listed package resolves to in an answer: its exact export names, taken from the page's module. */
function stub(spec, info) {
  const source = JSON.stringify(spec);
  if (info.format === 'cjs') return `module.exports = require(${source});`;
  // `pick` is pure, so esbuild drops every export the answer does not use.
  const lines = [`const m = require(${source});`, 'const pick = (k) => m[k];'];
  for (const name of info.exports) {
    if (name === 'default') lines.push('export default /* @__PURE__ */ pick("default");');
    else if (IDENTIFIER.test(name) && !RESERVED.has(name)) {
      lines.push(`export const ${name} = /* @__PURE__ */ pick(${JSON.stringify(name)});`);
    }
  }
  return lines.join('\n');
}

/** esbuild plugin for the compile check. `packages`: the listed specifiers; `packagesDir`: their node_modules. */
export function packagesPlugin({ packages, packagesDir }) {
  const listed = packages.filter((p) => !REACT.test(p));
  return {
    name: 'genui-packages',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        // The stub's own `require` of the package stays external: the page provides it.
        if (args.namespace === NAMESPACE && args.kind === 'require-call' && listed.includes(args.path)) {
          return { path: args.path, external: true };
        }
        if (args.kind === 'entry-point' || !listedRoot(args.path, listed)) return undefined;
        return { path: args.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const info = await describeModule(args.path, packagesDir);
        if (info.error) {
          return { errors: [{ text: `imports '${args.path}', which cannot be resolved in ${packagesDir}: ${info.error}` }] };
        }
        // A listed package: a stub, loaded from the page. A subpath of one: its own small bundle, inlined.
        const contents = listed.includes(args.path) ? stub(args.path, info) : info.js;
        return { contents, loader: 'js', resolveDir: packagesDir };
      });
    },
  };
}

/** The allowed packages of a render request, for its pool: null when it lists none besides React. */
export function pagePackages(req) {
  const packages = (req.packages || []).filter((p) => !REACT.test(p));
  return packages.length ? { packages, packagesDir: req.packages_dir } : null;
}

/**
 * What the render page's vendor build needs to also register the listed packages in `window.__genuiModules`:
 * source to append to its entry (after the statement that creates `window.__genuiModules`), and a plugin that
 * resolves the packages from `packagesDir` while React always resolves to the page's own copy (`reactDir`).
 * Each package is bundled once per page but evaluated only when a completion requires it: a getter `require`s it,
 * and esbuild wraps a `require`d module in a lazy initialiser, so a completion that imports none of them pays only
 * for parsing their code, not running it.
 */
export function pageModules({ packages = [], packagesDir, reactDir }) {
  const listed = packages.filter((p) => !REACT.test(p));
  if (!listed.length) return { contents: '', plugin: { name: 'genui-page-packages', setup() {} }, nodePaths: [] };
  // `require` gives the module as CommonJS with `__esModule` set, so `import x from 'pkg'` in the answer's CommonJS
  // reads the package's default export.
  const getters = listed.map((p) => `Object.defineProperty(window.__genuiModules, ${JSON.stringify(p)}, `
    + `{ enumerable: true, get: () => require(${JSON.stringify(p)}) });`);
  return {
    contents: getters.join('\n'),
    plugin: {
      name: 'genui-page-packages',
      setup(build) {
        build.onResolve({ filter: REACT }, (args) => (args.pluginData === NAMESPACE ? undefined
          : build.resolve(args.path, { kind: args.kind, resolveDir: reactDir, pluginData: NAMESPACE })));
        // The getters `require` each package, but the page must hold the same module the compile check read the
        // export names of (describeModule: the `import` condition, e.g. clsx's ESM build, not its CommonJS one).
        build.onResolve({ filter: /.*/ }, (args) => (args.pluginData === NAMESPACE || args.kind !== 'require-call'
          || !listed.includes(args.path) ? undefined
          : build.resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: NAMESPACE })));
      },
    },
    nodePaths: [packagesDir],
  };
}
