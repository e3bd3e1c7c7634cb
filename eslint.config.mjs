// Lint for the whole tree, run by `npm run lint` (part of `npm test`). It enforces the layering
// rule of docs/ARCHITECTURE.md and type-aware checks for promise and condition mistakes; the
// chosen rule set and every exclusion are explained there too.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

/** Module names that a layer must not import (`no-restricted-imports` paths and patterns). */
const vscode = { name: 'vscode', message: 'Only src/extension talks to VS Code.' };
const nodeBuiltinsBanned = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'The webview is a browser bundle: no Node built-ins.' })),
  patterns: [{ group: ['node:*'], message: 'The webview is a browser bundle: no Node built-ins.' }],
};
// The Python language core knows nothing of torch, the cost catalogue or the engine; those plug
// in through src/core/interp/hooks.ts. Type-only imports create no runtime dependency and stay allowed.
const interpIndependence = {
  regex: String.raw`^(\.\./|.*/core/)(torch|ops|analysis)(/|$)`,
  allowTypeImports: true,
  message: 'src/core/interp stays independent of torch, ops and analysis: use the hooks in interp/hooks.ts.',
};

/** Directory zones (resolved paths) for `import-x/no-restricted-paths`. */
const zones = [
  {
    target: './src/core',
    from: ['./src/extension', './src/cli', './src/node', './webview'],
    message: 'src/core is pure: it imports no editor, CLI or webview code.',
  },
  { target: './src/cli', from: ['./src/extension', './webview'], message: 'The CLI imports src/core only.' },
  {
    target: './src/node',
    from: ['./src/extension', './src/cli', './webview'],
    message: 'src/node (Node-side runtime shared by the CLI and the extension) imports src/core only.',
  },
  { target: './src/extension', from: './webview', message: 'The extension talks to the webview by messages only.' },
  {
    target: './webview/src',
    from: './src',
    except: ['./core/panel', './core/report/format.ts'],
    message: 'The webview imports only src/core/panel and src/core/report/format.ts.',
  },
];

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'webview/dist/**',
      'coverage/**',
      'test/e2e/artifacts/**',
      // Inputs the analyzer reads (some are third-party sources), not code of ours.
      'test/fixtures/**',
      'test/e2e/fixtures/**',
      'examples/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // Scripts and other plain JavaScript: untyped, Node globals.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  // Its page functions run in the browser.
  { files: ['scripts/bench/panel-render.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },

  // TypeScript: type-aware.
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x reads only .js files and no-cycle would see no TypeScript edges.
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.json', 'webview/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unnecessary-condition': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
      // Left out of strictTypeChecked (reasons in docs/ARCHITECTURE.md, "Lint and format"):
      '@typescript-eslint/no-non-null-assertion': 'off', // ~720 `!` after look-ups the code has just checked
      '@typescript-eslint/restrict-template-expressions': 'off', // ~450 messages interpolate numbers and dims on purpose
      '@typescript-eslint/no-unnecessary-type-assertion': 'off', // ~180 autofixable casts: fixed with the one-time reformat
      '@typescript-eslint/no-confusing-void-expression': 'off', // style of `() => void f()` shorthands, ~110 sites
      '@typescript-eslint/no-meaningless-void-operator': 'off', // `void it;` marks a deliberately unused parameter
      '@typescript-eslint/only-throw-error': 'off', // interpreters throw control-flow signals that are not Errors
      '@typescript-eslint/no-this-alias': 'off', // scope-chain walks start from `this`
      '@typescript-eslint/no-misused-spread': 'off', // strings are spread into code points on purpose
      '@typescript-eslint/no-base-to-string': 'off', // Python and JS values of the interpreters are stringified on purpose
      '@typescript-eslint/unbound-method': 'off', // option objects hold plain function properties typed as methods
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off', // vscode emitters and channels kept as Disposables
      '@typescript-eslint/no-dynamic-delete': 'off', // symbol bindings are plain records keyed by name
      // A closure may read the variable before its one assignment (activation wiring).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    // Lazy `require` keeps modules off the activation path (panel, zod schemas, GPU tables).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.{ts,mts}', 'webview/test/**/*.ts'],
    rules: {
      // Tests read parsed JSON (CLI output, fixtures) and page values as `any` and assert on them.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      // `let session: Session` set in beforeAll is closed with `session?.close()` when setup failed, and
      // assertions narrow with `r.type === 'result' && r.report…`: guards the types call needless.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },

  // Layering by module name (the directory zones above cover our own folders).
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscode] }] },
  },
  {
    files: ['src/core/interp/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscode], patterns: [interpIndependence] }] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [vscode] }] },
  },
  {
    files: ['webview/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [vscode, ...nodeBuiltinsBanned.paths], patterns: nodeBuiltinsBanned.patterns },
      ],
    },
  },

  // Findings that predate the lint, switched off file by file until each file is fixed (drop a
  // file from its list when it is clean; `npm run lint` then keeps it clean).
  {
    files: [
      'src/cli/renderReport.ts',
      'src/core/advisor/advise.ts',
      'src/core/advisor/rules/attentionLayers.ts',
      'src/core/advisor/rules/sdpa.ts',
      'src/core/advisor/rules/sparsity.ts',
      'src/core/advisor/textEdits.ts',
      'src/core/advisor/trainingScript.ts',
      'src/core/analysis/engine.ts',
      'src/core/editor/notebook.ts',
      'src/core/energy/convergence.ts',
      'src/core/energy/lossSpikes.ts',
      'src/core/interp/builtins.ts',
      'src/core/interp/imports.ts',
      'src/core/interp/interpreter.ts',
      'src/core/interp/operators.ts',
      'src/core/interp/stdlib.ts',
      'src/core/interp/symbolic.ts',
      'src/core/ops/functional.ts',
      'src/core/ops/layers.ts',
      'src/core/pilot/pilotMacs.ts',
      'src/core/pilot/runner.ts',
      'src/core/pilot/summary.ts',
      'src/core/python/convert.ts',
      'src/core/tfjs/entries.ts',
      'src/core/tfjs/evaluator.ts',
      'src/core/tfjs/graph.ts',
      'src/core/tfjs/inputs.ts',
      'src/core/tfjs/layers.ts',
      'src/core/tfjs/report.ts',
      'src/core/tfjs/tfApi.ts',
      'src/core/torch/nnModule.ts',
      'src/core/torch/numpyModule.ts',
      'src/core/torch/tensor.ts',
      'src/core/torch/tensorSemantics.ts',
      'src/extension/advice/adviceActions.ts',
      'src/extension/panel/panelController.ts',
      'src/extension/panel/panelFeature.ts',
      'src/extension/pilot/calibrationSource.ts',
      'src/extension/pilot/interpreter.ts',
      'webview/src/components/app.ts',
      'webview/src/components/layerTable.ts',
      'webview/src/theme.ts',
    ],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
);
