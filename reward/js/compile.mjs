// Compile one App.tsx with esbuild: bundle it as a single file in which only allowlisted packages (react, react-dom
// and their subpaths by default, plus a recipe's allowed packages from `packagesDir`: packages.mjs) may be imported.
// Anything else, including relative imports of files that do not exist in a single-file answer, is a compile error.
// Output is CommonJS, so the render page can supply `require`.
import * as esbuild from 'esbuild';
import { packagesPlugin } from './packages.mjs';

function allowlistPlugin(allowed) {
  const ok = (path) => allowed.some((pkg) => path === pkg || path.startsWith(pkg + '/'));
  return {
    name: 'allowlist',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (ok(args.path)) return { path: args.path, external: true };
        const why = args.path.startsWith('.') || args.path.startsWith('/')
          ? `imports '${args.path}', but the answer must be a single file`
          : `imports '${args.path}', which is not installed (allowed: ${allowed.join(', ')})`;
        return { errors: [{ text: why }] };
      });
    },
  };
}

// `allowed` and `packagesDir` always come from the request (reward/compiler.py holds their defaults).
export async function compile(code, allowed, packagesDir) {
  try {
    const result = await esbuild.build({
      stdin: { contents: code, loader: 'tsx', resolveDir: '/', sourcefile: 'App.tsx' },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'browser',
      target: 'es2020',
      jsx: 'automatic',
      logLevel: 'silent',
      // Keep every import, even unused ones: TypeScript semantics would silently drop them, and an answer that
      // imports a package which does not exist would then pass.
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      plugins: [packagesPlugin({ packages: allowed, packagesDir }), allowlistPlugin(allowed)],
    });
    return { ok: true, errors: [], js: result.outputFiles[0].text };
  } catch (err) {
    const errors = (err.errors || [{ text: String(err) }]).slice(0, 5).map((e) =>
      e.location ? `${e.location.line}:${e.location.column}: ${e.text}` : e.text);
    return { ok: false, errors, js: null };
  }
}
