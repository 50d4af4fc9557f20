// The lint rules that make DESIGN.md §3's process boundaries true, and the ban on focused and
// skipped tests: ESLint's Node API runs the repository's eslint.config.js on small in-memory
// snippets placed in each folder, and every forbidden import or skip must be reported (and
// what each folder may import must not be).
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
let eslint: ESLint;

// Linting is CPU work (the first run also loads the parsers and plugins): on a loaded machine it
// takes seconds, so these tests get a bound well above the unit default.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

beforeAll(async () => {
  // The snippets are not files of the TypeScript project, so type-aware linting is turned off;
  // the rules under test need no types.
  eslint = new ESLint({ cwd: ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
  await eslint.lintText('export {};\n', { filePath: resolve(ROOT, 'src-main/shared/warm-up.ts') });
});

interface Finding {
  line: number;
  rule: string | null;
  message: string;
}

/** Lints `code` as if it were the file `path`; the problems found, one per line. */
async function lint(path: string, code: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).map((m) => ({
    line: m.line,
    rule: m.ruleId,
    message: m.message,
  }));
}

/** Lints one line per import path (`template` gets the path) and returns the findings per path. */
async function perLine(
  path: string,
  template: (source: string, i: number) => string,
  sources: readonly string[],
): Promise<Map<string, Finding[]>> {
  const code = sources.map(template).join('\n');
  const found = await lint(path, code);
  return new Map(sources.map((s, i) => [s, found.filter((f) => f.line === i + 1)]));
}

const importLine = (s: string, i: number): string => `import * as m${i} from '${s}';`;

/** Every import path of `sources` is reported by `rule` with a message matching `message`. */
async function expectForbidden(
  path: string,
  sources: readonly string[],
  message: RegExp,
  template = importLine,
  rule = 'no-restricted-imports',
): Promise<void> {
  const found = await perLine(path, template, sources);
  sources.forEach((source, i) => {
    const findings = found.get(source) ?? [];
    expect(
      findings.some((f) => f.rule === rule && message.test(f.message)),
      `${path}: ${template(source, i)} → ${JSON.stringify(findings)}`,
    ).toBe(true);
  });
}

/** No import of `sources` is reported by a boundary rule. */
async function expectAllowed(path: string, sources: readonly string[]): Promise<void> {
  const found = await perLine(path, importLine, sources);
  for (const source of sources) {
    const boundary = (found.get(source) ?? []).filter(
      (f) => f.rule === 'no-restricted-imports' || f.rule === 'no-restricted-syntax',
    );
    expect(boundary, `${path}: ${source}`).toEqual([]);
  }
}

const dynamicImport = (s: string): string => `void import('${s}');`;
const requireCall = (s: string): string => `require('${s}');`;
const reExport = (s: string, i: number): string => `export { x${i} } from '${s}';`;
const typeImport = (s: string, i: number): string => `import type { T${i} } from '${s}';`;

/** expectForbidden for every way of importing: static, type-only, re-export, import(), require(). */
async function expectForbiddenInAnyForm(
  path: string,
  sources: readonly string[],
  message: RegExp,
): Promise<void> {
  for (const template of [importLine, typeImport, reExport]) {
    await expectForbidden(path, sources, message, template);
  }
  for (const template of [dynamicImport, requireCall]) {
    await expectForbidden(path, sources, message, template, 'no-restricted-syntax');
  }
}

/** Every Node builtin in both forms, as node:module lists them. */
const BUILTINS = [
  ...new Set(
    builtinModules.flatMap((m) => [m.replace(/^node:/, ''), `node:${m.replace(/^node:/, '')}`]),
  ),
];

describe('src-main/shared imports nothing platform-specific', () => {
  const file = 'src-main/shared/snippet.ts';
  const message = /src-main\/shared imports only its own modules and zod/;

  it('rejects Electron, Node builtins, JsSIP, Svelte, the logger and other main modules', async () => {
    const forbidden = [
      'electron',
      'node:fs',
      'node:path',
      'path',
      'fs/promises',
      'jssip',
      'jssip/lib/UA',
      'svelte',
      'svelte/store',
      'keytar',
      '../logger',
      '../tray/tray-service',
      '../settings/settings-store',
      '../../src-renderer/src/lib/phone',
    ];
    await expectForbiddenInAnyForm(file, forbidden, message);
  });

  it('allows its own modules and zod', async () => {
    await expectAllowed(file, ['zod', './ipc-contract', '@shared/settings-types']);
  });
});

describe('the main process', () => {
  const file = 'src-main/tray/snippet.ts';

  it('never imports JsSIP, Svelte or renderer code', async () => {
    await expectForbiddenInAnyForm(
      file,
      ['jssip', 'jssip/lib/UA', 'svelte', 'svelte/internal'],
      /never imports JsSIP or Svelte/,
    );
    await expectForbiddenInAnyForm(
      file,
      ['../../src-renderer/src/lib/phone', '../../src-renderer/src/lib/phone/engine'],
      /never imports renderer code/,
    );
  });

  it('may import Electron, Node and @shared', async () => {
    await expectAllowed(file, [
      'electron',
      'node:fs',
      'node:path',
      '@shared/ipc-contract',
      '../shared/dial-target',
      '../logger',
    ]);
  });
});

describe('the preload', () => {
  const file = 'src-main/preload/snippet.ts';
  const message = /preload imports only electron, @shared and its own modules/;

  it('imports nothing but electron, @shared and its own modules', async () => {
    const forbidden = [
      'jssip',
      'node:fs',
      'fs',
      'path',
      '../logger',
      '../ipc/router',
      'zod',
      'keytar',
      './sub/deeper',
    ];
    await expectForbiddenInAnyForm(file, forbidden, message);
  });

  it('may import electron, @shared and a module of its own folder', async () => {
    await expectAllowed(file, ['electron', '@shared/ipc-contract', './bridge']);
  });
});

describe('the renderer', () => {
  const files = [
    'src-renderer/src/lib/snippet.ts',
    'src-renderer/src/lib/state/snippet.svelte.ts',
    'src-renderer/src/main.ts',
  ];

  it.each(files)('%s: never imports Electron or keytar', async (file) => {
    await expectForbiddenInAnyForm(
      file,
      ['electron', 'electron/renderer', 'keytar'],
      /never imports Electron or keytar/,
    );
  });

  it.each(files)('%s: never imports any Node builtin, bare or node:', async (file) => {
    const message = /never imports a Node builtin/;
    expect(BUILTINS.length).toBeGreaterThan(100);
    await expectForbidden(file, [...BUILTINS, 'node:test', 'node:sqlite'], message);
    await expectForbidden(
      file,
      ['fs', 'node:os', 'child_process'],
      message,
      dynamicImport,
      'no-restricted-syntax',
    );
    await expectForbidden(
      file,
      ['fs', 'node:os', 'child_process'],
      message,
      requireCall,
      'no-restricted-syntax',
    );
  });

  it.each(files)('%s: reaches main-process code only through @shared', async (file) => {
    await expectForbidden(
      file,
      [
        '../../../src-main/settings/settings-store',
        '../../../src-main/shared/dial-target',
        '../../src-main/logger',
        '/work/src-main/tray/tray-service',
      ],
      /only through @shared/,
    );
  });

  it.each(files)('%s: may import @shared, JsSIP, Svelte and Dexie', async (file) => {
    await expectAllowed(file, [
      '@shared/dial-target',
      'jssip',
      'jssip/lib/UA',
      'svelte',
      'dexie',
      './phone',
    ]);
  });

  it('imports the phone engine only through its façade, except inside lib/phone', async () => {
    const message = /only through lib\/phone/;
    await expectForbidden(
      'src-renderer/src/lib/state/snippet.svelte.ts',
      ['../phone/engine', '../phone/types', '../../lib/phone/call'],
      message,
    );
    await expectForbidden('src-renderer/src/lib/views/Snippet.ts', ['../phone/lines'], message);
    await expectAllowed('src-renderer/src/lib/state/snippet.ts', ['../phone']);
    await expectAllowed('src-renderer/src/lib/phone/snippet.ts', ['./engine', './types']);
  });

  it('applies the same boundary inside Svelte components', async () => {
    const found = await lint(
      'src-renderer/src/lib/components/Snippet.svelte',
      [
        '<script lang="ts">',
        "  import { ipcRenderer } from 'electron';",
        "  import { readFileSync } from 'node:fs';",
        "  import os from 'os';",
        "  import { SettingsStore } from '../../../../src-main/settings/settings-store';",
        "  import type { DialTarget } from '@shared/dial-target';",
        '  let t: DialTarget | null = null;',
        '  void [ipcRenderer, readFileSync, os, SettingsStore, t];',
        '</script>',
      ].join('\n'),
    );
    const boundary = found.filter((f) => f.rule === 'no-restricted-imports');
    expect(boundary.map((f) => f.line)).toEqual([2, 3, 4, 5]);
  });
});

describe('no focused or skipped tests', () => {
  const file = 'test/unit/snippet.test.ts';
  const header = "import { describe, it, test, expect } from 'vitest';";

  async function rulesFor(path: string, body: string): Promise<string[]> {
    const found = await lint(path, `${header}\n${body}\n`);
    return found.filter((f) => f.line === 2).map((f) => f.rule ?? '');
  }

  it.each([
    ["it.only('a', () => { expect(1).toBe(1); });", 'vitest/no-focused-tests'],
    ["describe.only('a', () => {});", 'vitest/no-focused-tests'],
    ["test.only('a', () => { expect(1).toBe(1); });", 'vitest/no-focused-tests'],
    ["it.concurrent.only('a', () => { expect(1).toBe(1); });", 'vitest/no-focused-tests'],
    ["it.skip('a', () => { expect(1).toBe(1); });", 'vitest/no-disabled-tests'],
    ["test.skip('a', () => { expect(1).toBe(1); });", 'vitest/no-disabled-tests'],
    ["describe.skip('a', () => {});", 'vitest/no-disabled-tests'],
    ["xit('a', () => { expect(1).toBe(1); });", 'vitest/no-disabled-tests'],
    ["xdescribe('a', () => {});", 'vitest/no-disabled-tests'],
    ["it('a', { skip: true }, () => { expect(1).toBe(1); });", 'vitest/no-disabled-tests'],
    ["it.todo('a');", 'no-restricted-syntax'],
    ["describe.todo('a');", 'no-restricted-syntax'],
    ["it.skipIf(true)('a', () => { expect(1).toBe(1); });", 'no-restricted-syntax'],
    ["test.runIf(false)('a', () => { expect(1).toBe(1); });", 'no-restricted-syntax'],
    ["describe.skipIf(true)('a', () => {});", 'no-restricted-syntax'],
    ["describe.runIf(false)('a', () => {});", 'no-restricted-syntax'],
    ["it('a', (ctx) => { ctx.skip(); });", 'no-restricted-syntax'],
    ["it('a', ({ skip }) => { skip(); });", 'no-restricted-syntax'],
  ])('reports %s', async (body, rule) => {
    expect(await rulesFor(file, body)).toContain(rule);
  });

  it('allows the Electron-binary suites one conditional suite, and nothing else', async () => {
    for (const path of ['test/electron/snippet.test.ts', 'test/packaging/real-binary.test.ts']) {
      expect(await rulesFor(path, "describe.skipIf(true)('a (skipped: why)', () => {});")).toEqual(
        [],
      );
      expect(await rulesFor(path, "describe.runIf(false)('a (skipped: why)', () => {});")).toEqual(
        [],
      );
      expect(await rulesFor(path, "it.skip('a', () => { expect(1).toBe(1); });")).toContain(
        'vitest/no-disabled-tests',
      );
      expect(await rulesFor(path, "it.runIf(false)('a', () => { expect(1).toBe(1); });")).toContain(
        'no-restricted-syntax',
      );
      expect(await rulesFor(path, "describe.todo('a');")).toContain('no-restricted-syntax');
    }
    expect(
      await rulesFor('test/packaging/config.test.ts', "describe.runIf(false)('a', () => {});"),
    ).toContain('no-restricted-syntax');
  });

  it('lets a plain test through', async () => {
    expect(await rulesFor(file, "it('a', () => { expect(1).toBe(1); });")).toEqual([]);
  });
});
