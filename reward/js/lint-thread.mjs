// One lint thread (see lint.mjs): long-lived ESLint instances, one per (config file, virtual file name), each
// created on first use, so a config's plugins and parser are loaded once per thread, not once per completion.
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { ESLint } from 'eslint';

const LINES_RULE = 'genui/code-lines';
const MAX_MESSAGES = 20;

// Counts the lines that hold code (the start and end line of every token) and the tokens: the denominator of
// "problems per 100 lines" (see reward/lint.py). Comments and blank lines are not code, so padding an answer with
// them cannot dilute its problems, and a long template string counts as its first and last line only.
const codeLines = {
  meta: { type: 'suggestion', schema: [] },
  create(context) {
    return {
      'Program:exit'(node) {
        const lines = new Set();
        for (const token of context.sourceCode.ast.tokens) {
          lines.add(token.loc.start.line);
          lines.add(token.loc.end.line);
        }
        context.report({ node, message: `${lines.size} ${context.sourceCode.ast.tokens.length}` });
      },
    };
  },
};

const instances = new Map();

function eslintFor(config) {
  let eslint = instances.get(config);
  if (!eslint) {
    eslint = new ESLint({
      // Globs in the config are relative to its folder, as when the team runs `eslint` there.
      cwd: path.dirname(config),
      overrideConfigFile: config,
      // Added on top of the config, whatever it says: our line counter, and typescript-eslint's root folder (it
      // guesses it from where its configs were created, and refuses to guess once a thread has loaded two configs).
      overrideConfig: {
        plugins: { genui: { rules: { 'code-lines': codeLines } } },
        rules: { [LINES_RULE]: 'warn' },
        languageOptions: { parserOptions: { tsconfigRootDir: path.dirname(config) } },
      },
      // `// eslint-disable` comments written by the model must not switch rules off.
      allowInlineConfig: false,
      // The completion is linted whatever the config's ignore patterns say.
      ignore: false,
    });
    instances.set(config, eslint);
  }
  return eslint;
}

async function lintOne({ code, config, filename }) {
  const filePath = path.resolve(path.dirname(config), filename);
  const [result] = await eslintFor(config).lintText(code, { filePath });
  const out = { ok: true, errors: 0, warnings: 0, lines: null, tokens: null, parse_error: null, messages: [] };
  for (const m of result.messages) {
    if (m.ruleId === LINES_RULE) {
      [out.lines, out.tokens] = m.message.split(' ').map(Number);
    } else if (m.fatal) {
      out.parse_error = `${m.line}:${m.column}: ${m.message}`;
    } else {
      if (m.severity === 2) out.errors += 1;
      else out.warnings += 1;
      if (out.messages.length < MAX_MESSAGES) {
        out.messages.push({ rule: m.ruleId, severity: m.severity, line: m.line, message: m.message.slice(0, 200) });
      }
    }
  }
  if (out.lines === null && out.parse_error === null) {
    // No rule ran at all: the config has no entry whose `files` matches this file name.
    return {
      ok: false,
      config_error: `${config} does not lint '${filename}' (${result.messages.map((m) => m.message).join('; ') || 'no config applies'}); `
        + 'set lint_filename to a path the config covers (e.g. src/App.tsx)',
    };
  }
  return out;
}

parentPort.on('message', async ({ id, req }) => {
  try {
    parentPort.postMessage({ id, result: await lintOne(req) });
  } catch (err) {
    const message = String(err?.message || err);
    // A rule that crashes on one completion is ESLint's problem, not the completion's ("Occurred while linting ...");
    // anything else (a config with a syntax error, a plugin that is not installed) fails every completion alike.
    const kind = message.includes('Occurred while linting') ? 'lint_error' : 'config_error';
    parentPort.postMessage({ id, result: { ok: false, [kind]: `${req.config}: ${message.slice(0, 500)}` } });
  }
});
