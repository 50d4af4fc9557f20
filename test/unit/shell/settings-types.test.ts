// Settings types come from the zod schemas (issue 11), but the renderer imports
// settings-types.ts for its types and defaults and must not bundle zod: once TypeScript has
// erased the types, the module must import nothing at run time. Its defaults must be valid
// settings for the schemas they are typed by.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { accountSchema, settingsSchema, type settingsPatchSchema } from '@shared/settings-schema';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_SETTINGS,
  type AccountSettings,
  type AppSettings,
  type AppSettingsPatch,
} from '@shared/settings-types';

const SOURCE = resolve(import.meta.dirname, '../../../src-main/shared/settings-types.ts');

describe('settings-types.ts', () => {
  it('has no run-time import (zod and the schemas are type-only)', () => {
    const js = ts.transpileModule(readFileSync(SOURCE, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    }).outputText;
    expect(js).not.toMatch(/^\s*import\b/m);
    expect(js).not.toMatch(/\brequire\(|\bimport\(/);
    expect(js).toContain('DEFAULT_SETTINGS');
  });

  it('its types are the schemas’ inferred types, and every schema field has a default', () => {
    // Compile-time half: `npm run typecheck` fails when these types drift apart.
    expectTypeOf<AppSettings>().toEqualTypeOf<z.infer<typeof settingsSchema>>();
    expectTypeOf<AccountSettings>().toEqualTypeOf<z.infer<typeof accountSchema>>();
    expectTypeOf<AppSettingsPatch>().toEqualTypeOf<z.infer<typeof settingsPatchSchema>>();
    // Run-time half: the defaults cover exactly the schemas' fields.
    expect(Object.keys(DEFAULT_SETTINGS).sort()).toEqual(Object.keys(settingsSchema.shape).sort());
    expect(
      // An account's own identity has no default: its id, addresses, and the RFC 5626
      // instance id made when it is first saved.
      [
        ...Object.keys(DEFAULT_ACCOUNT),
        'id',
        'label',
        'sipUri',
        'websocketUri',
        'instanceId',
      ].sort(),
    ).toEqual(Object.keys(accountSchema.shape).sort());
  });

  it('its defaults are valid settings', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    const account = {
      ...DEFAULT_ACCOUNT,
      id: 'a',
      label: 'A',
      websocketUri: 'wss://x',
      sipUri: 'sip:a@x',
    };
    expect(accountSchema.parse(account)).toEqual(account);
  });
});
