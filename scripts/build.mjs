// `npm run build`: bundles the CLI with esbuild into dist/ (see docs/adr/0052). One entry for the
// CLI and one for the sandbox provisioner process; code shared between them, and modules that a
// command loads on demand with import(), go to dist/chunks/. Dependencies stay in node_modules.
// Type checking is `npm run lint` (tsc --noEmit); esbuild only strips types.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
// JSON data (the audit's schema tables) as JSON.parse of a string: V8 reads that faster than the
// same data written as an object literal, which is how esbuild inlines JSON by default.
const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => {
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

// The audit's Kubernetes schema tables (src/audit/schema/data/kubernetes*.json, ~160-215 KB each)
// are packed with every definition as its own JSON text, parsed on first use
// (src/audit/schema/lazy.ts, ADR 0130, 0165): an audit parses the kinds, and the definitions its
// input reaches, not the whole table. `file` writes the packed text next to run.cjs and
// reads it when the module is first imported; otherwise it is a string in the chunk.
const lazySchemaModule = join(root, 'src', 'audit', 'schema', 'lazy.ts');
const schemaTables = (file) => ({
  name: 'lazy-schema-tables',
  setup(b) {
    b.onLoad({ filter: /[\\/]audit[\\/]schema[\\/]data[\\/]kubernetes[\w.-]*\.json$/ }, (args) => {
      const set = JSON.parse(readFileSync(args.path, 'utf8'));
      // packSchemaSet's format (src/audit/schema/lazy.ts): a line of JSON with the kinds, a line
      // `<name> <start> <end>` per definition and an empty line, then the definitions' texts.
      let lines = '';
      let end = 0;
      const texts = Object.entries(set.defs).map(([name, schema]) => {
        const text = JSON.stringify(schema);
        lines += `${name} ${end} ${(end += text.length)}\n`;
        return text;
      });
      const kinds = JSON.stringify({ source: set.source, kinds: set.kinds });
      const packed = `${kinds}\n${lines}\n${texts.join('')}`;
      const head = `import { lazySchemaSet } from ${JSON.stringify(lazySchemaModule)};\n`;
      if (!file)
        return {
          loader: 'js',
          contents: `${head}export default lazySchemaSet(${JSON.stringify(packed)});`,
        };
      const name = `${basename(args.path, '.json')}-${createHash('sha256').update(packed).digest('hex').slice(0, 8)}.schema`;
      mkdirSync(join(dist, 'cli', 'data'), { recursive: true });
      writeFileSync(join(dist, 'cli', 'data', name), packed);
      return {
        loader: 'js',
        contents: `${head}import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nexport default lazySchemaSet(readFileSync(join(__dirname, 'data', ${JSON.stringify(name)}), 'utf8'));`,
      };
    });
  },
});

// commander requires node:child_process when it loads (for executable subcommands, which berth
// does not use); that module brings net, streams and dgram, ~10 ms of every start-up. Commander
// gets a stand-in that loads it on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'berth-lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'berth-lazy' }, () => ({
      loader: 'js',
      contents:
        "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
    }));
  },
};

// Small pure libraries are bundled (one file to read instead of dozens: yaml alone is ~80
// modules); the big clients stay in node_modules and load only with the command that uses them.
const external = [
  '@kubernetes/client-node',
  '@nats-io/*',
  'redis',
  'openai',
  'hono',
  '@hono/*',
  'prom-client',
  'playwright-core',
  'esbuild',
  'tsx',
];

// `berth audit` runs run.ts from one CommonJS file through vm.Script with a V8 code cache
// (src/cli/code-cache.ts, ADR 0052): same sources, one file, and nothing to compile twice. Only
// the audit command is loadable in it (the others keep their names and summaries for --help):
// a smaller file is less to read, and main.js sends only `audit` there.
const auditOnly = {
  name: 'audit-only',
  setup(b) {
    b.onLoad({ filter: /src[\\/]cli[\\/]commands[\\/]index\.ts$/ }, (args) => ({
      loader: 'ts',
      contents: readFileSync(args.path, 'utf8').replace(
        /import\('\.\/([\w-]+)\.ts'\)/g,
        (call, name) =>
          name === 'audit'
            ? call
            : `Promise.reject(new Error('${name} is not in dist/cli/run.cjs'))`,
      ),
    }));
  },
};
// In run.cjs, large JSON tables (the audit's schema, ~210 KB) stay out of the code: as a string in
// the bundle they were read, cached and deserialized with the code at every start, even though
// they are parsed once. They are copied next to run.cjs and read when first imported.
const bigJsonAsFile = {
  name: 'big-json-as-file',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, (args) => {
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
      if (text.length < 64 * 1024) return undefined;
      const name = `${basename(args.path, '.json')}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}.json`;
      mkdirSync(join(dist, 'cli', 'data'), { recursive: true });
      writeFileSync(join(dist, 'cli', 'data', name), text);
      return {
        loader: 'js',
        contents: `import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\nexport default JSON.parse(readFileSync(join(__dirname, 'data', ${JSON.stringify(name)}), 'utf8'));`,
      };
    });
  },
};
// Libraries the audit needs on some paths only (the `yaml` document model: positions the fast
// reader cannot give, fixes, config and CRD files, YAML js-yaml does not read the same way). In
// run.cjs every import of one gets a stand-in whose exports load it on first access (ADR 0165):
// an audit that never touches it does not evaluate it (`yaml` is ~70 modules). For CommonJS
// packages only: an ES-module package would lose its tree shaking. A package whose export is a
// function (picomatch: only `ignorePaths` calls it) gets a function that loads it when called.
const onFirstUse = (packages) => ({
  name: 'on-first-use',
  setup(b) {
    const filter = new RegExp(`^(${packages.join('|')})$`);
    b.onResolve({ filter }, (args) =>
      args.namespace === 'berth-on-first-use'
        ? undefined
        : { path: args.path, namespace: 'berth-on-first-use' },
    );
    b.onLoad({ filter: /.*/, namespace: 'berth-on-first-use' }, async (args) => {
      const real = await import(args.path);
      const names = Object.keys(real).filter((name) => name !== 'default');
      const callable = typeof real.default === 'function';
      const getters = names.map(
        (name) =>
          `Object.defineProperty(module.exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load()[${JSON.stringify(name)}] });`,
      );
      return {
        loader: 'js',
        resolveDir: root,
        contents: [
          'let real;',
          `const load = () => (real ??= require(${JSON.stringify(args.path)}));`,
          ...(callable
            ? ['module.exports = function (...args) { return load().apply(this, args); };']
            : []),
          ...getters,
        ].join('\n'),
      };
    });
  },
});

// esbuild escapes non-ASCII characters everywhere but in regular expression literals (the
// duration pattern's µ). One such character makes V8 hold the whole source as a two-byte string:
// twice the memory and a slower read at every start. In a regex literal (and in the strings and
// comments esbuild already escapes) \uXXXX is the same character; the only visible difference,
// a pattern's `.source`, is not used. Column positions in the source map move on that line only.
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (ascii !== text) writeFileSync(file, ascii);
}

// Options every build below shares: one bundle per entry for Node 20, minified (smaller code
// compiles faster at start-up), linked source maps without sources (readable traces).
const common = {
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};
const cjs = await build({
  ...common,
  plugins: [
    schemaTables(true),
    bigJsonAsFile,
    jsonAsParse,
    auditOnly,
    lazyChildProcess,
    onFirstUse(['yaml', 'picomatch']),
  ],
  entryPoints: { 'cli/run': 'src/cli/run.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external,
  define: { 'import.meta.dirname': '__dirname' },
  // import() in a script compiled from a code cache fails in Node 20 (the cached script loses its
  // dynamic-import callback): built-ins imported on demand become require() calls here.
  supported: { 'dynamic-import': false },
  // No keepNames here (main.js keeps them): its ~1,000 __name calls at load were ~5 % of what a
  // one-file audit executes beyond `node -e 0` (ADR 0165). Errors print messages, not class
  // names; stack traces map back through the linked source map (--enable-source-maps).
  keepNames: false,
});
asciiOnly(join(dist, 'cli', 'run.cjs'));
// main.js and start.cjs find the code cache of run.cjs by this key, computed here rather than at
// every start.
const runKey = createHash('sha256')
  .update(readFileSync(join(dist, 'cli', 'run.cjs')))
  .digest('hex')
  .slice(0, 20);

// What bin/berth.js runs: a small CommonJS file that answers --version and runs `audit` from
// run.cjs without Node's ES-module loader, and imports main.js for everything else (ADR 0165).
const start = await build({
  ...common,
  entryPoints: { 'cli/start': 'src/cli/start.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { BERTH_RUN_KEY: JSON.stringify(runKey), 'import.meta.dirname': '__dirname' },
  keepNames: true,
});
asciiOnly(join(dist, 'cli', 'start.cjs'));

const result = await build({
  ...common,
  plugins: [schemaTables(false), jsonAsParse, lazyChildProcess],
  entryPoints: {
    // Two folders deep, like the sources: src/sandbox/versions.ts finds ../../sandbox from here.
    'cli/main': 'src/cli/main.ts',
    'sandbox-provisioner/main': 'src/sandbox/provisioner/main.ts',
  },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  external,
  define: { BERTH_RUN_KEY: JSON.stringify(runKey) },
  // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __berthRequire } from 'node:module'; const require = __berthRequire(import.meta.url);",
  },
  keepNames: true, // class and function names stay readable (errors, logs)
});
Object.assign(result.metafile.outputs, cjs.metafile.outputs, start.metafile.outputs);
const bytes = Object.values(result.metafile.outputs)
  .filter((o) => !o.entryPoint || o.entryPoint)
  .reduce((sum, o) => sum + o.bytes, 0);
console.log(
  `build: dist/ ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB`,
);
