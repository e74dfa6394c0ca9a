// The layer rule, in one place: which folders are the pure core, which are adapters, and the
// eslint rule that keeps the pure core from reaching I/O. docs/adr/0003 lists the same folders;
// test/lint/layers.test.ts fails when the two disagree or when the rule stops firing.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

/**
 * Pure folders: plain data in, plain data out. No filesystem, network, process, timers or
 * console. A capability folder listed here may keep its I/O in `adapters/` subfolders.
 */
export const pureFolders = [
  'src/model',
  'src/secrets',
  'src/yaml',
  'src/spec',
  'src/render',
  'src/audit/checks',
  'src/audit/engine',
  'src/audit/schema',
  'src/deploy/readiness',
  'src/deploy/plan',
  'src/release',
  'src/autoscale',
  'src/watchdog',
  'src/workflow',
];

/** Single pure files outside the pure folders. */
export const pureFiles = [
  'src/errors.ts',
  // The input loader's pure parts (ADR 0080): classification, parsing, Helm and kustomize mapping.
  'src/input/classify.ts',
  'src/input/parse.ts',
  'src/input/fast-yaml.ts',
  'src/input/block-yaml.ts',
  'src/input/block-yaml-scan.ts',
  'src/input/yaml-schema.ts',
  'src/input/yaml-spans.ts',
  'src/input/helm-sources.ts',
  'src/input/kustomize-origin.ts',
  'src/input/paths.ts',
  'src/input/types.ts',
  // The service's and the LLM explainer's pure parts (issue 11 review): page, self-audit, view,
  // undo decisions; prompt, masking, budget, answer and config reading.
  'src/service/dashboard.ts',
  'src/service/self-audit.ts',
  'src/service/view.ts',
  'src/service/view-undo.ts',
  'src/llm/prompt.ts',
  'src/llm/mask.ts',
  'src/llm/budget.ts',
  'src/llm/answer.ts',
  'src/llm/config.ts',
];

/** Adapter folders: the only code that does I/O (besides `adapters/` subfolders anywhere). */
export const adapterFolders = [
  'src/kube',
  'src/cli',
  'src/sandbox',
  'src/files',
  'src/input',
  'src/sources',
  'src/notify',
  'src/llm',
  'src/service',
];

/** Node built-ins pure code may use: computation only (hashing, paths as strings, URL parsing). */
const pureBuiltins = new Set([
  'crypto',
  'path',
  'path/posix',
  'url',
  'util',
  'buffer',
  'string_decoder',
  'assert',
  'assert/strict',
]);

/** Packages that do I/O or keep time; the pure core talks to them through ports. */
const ioPackages = [
  '@kubernetes/client-node',
  '@nats-io/transport-node',
  '@nats-io/jetstream',
  'redis',
  'openai',
  'hono',
  '@hono/node-server',
  'prom-client',
  'croner',
  'playwright-core',
  'undici',
];

/** Globals the pure core must not touch (the clock, timers and the process are injected). */
const impureGlobals = [
  'process',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'fetch',
  'require',
];

const root = dirname(dirname(new URL(import.meta.url).pathname));

function inFolder(path, folder) {
  return path === folder || path.startsWith(`${folder}/`);
}

/** `pure`, `adapter` or `other` for a repository-relative path. */
function layerOf(path) {
  if (path.split('/').includes('adapters')) return 'adapter';
  if (pureFiles.includes(path) || pureFolders.some((f) => inFolder(path, f))) return 'pure';
  if (adapterFolders.some((f) => inFolder(path, f))) return 'adapter';
  return 'other';
}

function builtinName(specifier) {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return specifier.startsWith('node:') || builtinModules.includes(name) ? name : undefined;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why `specifier`, imported from the pure file `file`, breaks the layer rule (or undefined). */
function importProblem(file, specifier) {
  if (specifier.startsWith('.')) {
    const target = relative(root, resolve(dirname(file), specifier));
    const layer = layerOf(target);
    if (layer === 'pure') return undefined;
    return layer === 'adapter'
      ? `the pure core may not import the adapter ${target}`
      : `the pure core may only import pure code, not ${target} (move the shared part into a pure folder)`;
  }
  const builtin = builtinName(specifier);
  if (builtin !== undefined) {
    return pureBuiltins.has(builtin)
      ? undefined
      : `the pure core may not import ${specifier}: it does I/O or keeps time; take it as an injected port`;
  }
  if (ioPackages.includes(packageName(specifier)))
    return `the pure core may not import ${specifier}: it does I/O; take it as an injected port`;
  return undefined;
}

function staticSource(node) {
  return node && node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

/**
 * Type-only imports (`import type`, or every specifier marked `type`) are erased when compiled,
 * so they load nothing: the pure core may name an adapter's data shapes.
 */
function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return (
    specifiers.length > 0 &&
    specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type')
  );
}

/** eslint rule `layers/pure-core`: imports (static, dynamic, re-exports) and `globalThis.x`. */
const pureCore = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the pure core free of I/O (ADR 0003).' },
    schema: [],
    messages: {
      import: '{{problem}}',
      dynamic: 'the pure core may not load modules at run time (import() of a computed name)',
      global: 'the pure core may not use globalThis.{{name}}: take it as an injected dependency',
    },
  },
  create(context) {
    const file = context.filename;
    const check = (node, source) => {
      const specifier = staticSource(source);
      if (specifier === undefined) {
        context.report({ node, messageId: 'dynamic' });
        return;
      }
      const problem = importProblem(file, specifier);
      if (problem) context.report({ node, messageId: 'import', data: { problem } });
    };
    const globalNames = new Set(['globalThis', 'global', 'self', 'window']);
    return {
      ImportDeclaration: (node) => isTypeOnly(node) || check(node, node.source),
      ExportAllDeclaration: (node) => node.exportKind === 'type' || check(node, node.source),
      ExportNamedDeclaration: (node) =>
        !node.source || isTypeOnly(node) || check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node, node.moduleReference.expression),
      MemberExpression(node) {
        if (node.object.type !== 'Identifier' || !globalNames.has(node.object.name)) return;
        const name = node.computed ? staticSource(node.property) : node.property.name;
        if (name !== undefined && impureGlobals.includes(name))
          context.report({ node, messageId: 'global', data: { name } });
      },
    };
  },
};

const layersPlugin = { rules: { 'pure-core': pureCore } };

/** The eslint config block that applies the rule to the pure core (tests excluded). */
export const pureCoreConfig = {
  files: [...pureFolders.map((f) => `${f}/**/*.ts`), ...pureFiles],
  ignores: ['**/*.test.ts', '**/*.test-support.ts', '**/adapters/**'],
  plugins: { layers: layersPlugin },
  rules: {
    'layers/pure-core': 'error',
    'no-restricted-globals': ['error', ...impureGlobals],
    'no-console': 'error',
  },
};
