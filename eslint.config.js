// Flat ESLint config: JS + TypeScript (type-aware) + Svelte + Prettier compatibility, the
// process boundaries of DESIGN.md §3 enforced per folder, and no focused or skipped tests.
// test/unit/lint/boundaries.test.ts proves that each boundary rule fires.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import vitest from '@vitest/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/** Every Node builtin by its bare name; the node: forms (and scheme-only ones) are ^node:. */
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('node:'));
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (names) => `^(${names.map(escape).join('|')})(/.*)?$`;

/**
 * A folder's import boundary: module names it may not import (exact, or any subpath of them),
 * regular expressions on the import path, and the one sentence that says why. Applied to static
 * imports, re-exports, type-only imports, dynamic import() and require() alike.
 * @typedef {{ modules?: string[], regex?: string[], message: string }} Boundary
 */

/** @type {Boundary[]} The renderer is web code: no Electron, keytar, Node, nor main-process code. */
const RENDERER_RULES = [
  { modules: ['electron', 'keytar'], message: 'The renderer never imports Electron or keytar.' },
  {
    modules: NODE_BUILTINS,
    regex: ['^node:'],
    message: 'The renderer is web code: it never imports a Node builtin.',
  },
  {
    regex: ['(^|/)src-main(/|$)'],
    message: 'The renderer reaches main-process code only through @shared.',
  },
  {
    // Inside lib/phone its modules import each other as './x'; from anywhere else '../phone/x'
    // bypasses the façade.
    regex: ['(^|/)phone/[^/]+$'],
    message: 'Import the phone engine only through lib/phone (its index.ts façade).',
  },
];

/** @type {Boundary[]} Main is the OS adapter: no SIP, no UI framework, no renderer code. */
const MAIN_RULES = [
  { modules: ['jssip', 'svelte'], message: 'The main process never imports JsSIP or Svelte.' },
  { regex: ['(^|/)src-renderer(/|$)'], message: 'The main process never imports renderer code.' },
];

/**
 * @type {Boundary[]} src-main/shared is platform-free "std" code, imported by main, preload and
 * renderer: only its own modules (./x, @shared/x) and zod (add here a library only if it is
 * platform-free).
 */
const SHARED_RULES = [
  {
    regex: ['^(?!(zod|\\./[\\w.-]+|@shared/[\\w.-]+)$)'],
    message:
      'src-main/shared imports only its own modules and zod: no Electron, Node, JsSIP, Svelte, logger or other src-main module.',
  },
];

/** @type {Boundary[]} The sandboxed preload: electron and @shared, nothing else. */
const PRELOAD_RULES = [
  {
    regex: ['^(?!(electron|@shared/[\\w.-]+|\\./[\\w.-]+)$)'],
    message: 'The sandboxed preload imports only electron, @shared and its own modules.',
  },
];

/** The import-path regexes of a boundary. */
function boundaryRegexes(rules) {
  return rules.map((r) => [...(r.modules ? [oneOf(r.modules)] : []), ...(r.regex ?? [])]);
}

/** The rules for one folder: no-restricted-imports plus the same check on import()/require(). */
function boundary(rules) {
  const regexes = boundaryRegexes(rules);
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: rules.flatMap((r, i) =>
          (regexes[i] ?? []).map((regex) => ({ regex, message: r.message })),
        ),
      },
    ],
    'no-restricted-syntax': [
      'error',
      ...rules.flatMap((r, i) =>
        (regexes[i] ?? []).flatMap((regex) => {
          // esquery's regex literals cannot hold a slash, even escaped.
          const literal = `/${regex.replaceAll('/', '\\x2F')}/`;
          return [
            { selector: `ImportExpression[source.value=${literal}]`, message: r.message },
            {
              selector: `CallExpression[callee.name='require'][arguments.0.value=${literal}]`,
              message: r.message,
            },
          ];
        }),
      ),
    ],
  };
}

/** describe.skipIf / describe.runIf: allowed only in the Electron-binary suites (below). */
const CONDITIONAL_DESCRIBE = {
  selector: "MemberExpression[object.name='describe'][property.name=/^(skipIf|runIf)$/]",
  message:
    'No conditionally skipped suites: only the Electron-binary suites may skip, with one printed reason.',
};
/** Skips the vitest plugin does not see: conditional and todo tests, and ctx.skip(). */
const CONDITIONAL_TESTS = [
  CONDITIONAL_DESCRIBE,
  {
    selector:
      'MemberExpression[object.name=/^(it|test|suite|bench)$/][property.name=/^(skipIf|runIf)$/]',
    message: 'No conditionally skipped tests: a test runs everywhere or lives in test/electron.',
  },
  {
    selector:
      "MemberExpression[object.name=/^(it|test|describe|suite|bench)$/][property.name='todo']",
    message: 'No todo tests: write the test or leave it out.',
  },
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.property.name='skip'][callee.object.name!=/^(it|test|describe|suite|bench)$/]",
    message: 'No skipping from inside a test (context.skip()).',
  },
  {
    selector: "CallExpression[callee.name='skip']",
    message: 'No skipping from inside a test (skip()).',
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'out-test/**',
      'dist/**',
      'release/**',
      'release-test/**',
      'node_modules/**',
      'coverage/**',
      '.lab-logs/**',
      'bench-results/**',
      'test/fixtures/insecure-app/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
      globals: { ...globals.node },
    },
    rules: {
      curly: ['error', 'all'],
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig },
      globals: { ...globals.browser },
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: boundary(RENDERER_RULES),
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/shared/**', 'src-main/preload/**'],
    rules: boundary(MAIN_RULES),
  },
  {
    files: ['src-main/shared/**/*.ts'],
    rules: boundary(SHARED_RULES),
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: boundary(PRELOAD_RULES),
  },
  {
    files: ['test/**/*.ts'],
    plugins: { vitest },
    rules: {
      'vitest/no-focused-tests': 'error',
      'vitest/no-disabled-tests': 'error',
      'no-restricted-syntax': ['error', ...CONDITIONAL_TESTS],
    },
  },
  {
    // The Electron-binary suites (DESIGN.md §7): where no Electron binary exists the whole suite
    // is skipped with one printed reason. That one pattern is allowed, only here, only on describe.
    files: ['test/electron/**/*.ts', 'test/packaging/real-binary.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...CONDITIONAL_TESTS.filter((r) => r !== CONDITIONAL_DESCRIBE),
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-console': 'off',
      // Fakes implement async interfaces synchronously, and test doubles pass methods around.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
