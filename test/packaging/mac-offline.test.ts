// macOS packaging, checked offline on Linux. THE ELECTRON IN THIS BUILD IS A PLACEHOLDER
// (scripts/packaging/placeholder-electron.ts) shaped like Electron.app. electron-builder
// builds the x64 and arm64 .app from it with electron-builder.yml (no signing off macOS, no
// dmg: hdiutil exists only on macOS), so the generated Info.plist (URL types, microphone
// text, asar integrity) and the fuses flipped in the framework binary are checked on real
// output. Hardened runtime and entitlements are applied at signing, on macOS: here the
// configuration and the entitlement files are checked.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import asar from '@electron/asar';
import plist from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/packaging/offline-build';
import type { OfflineBuildResult } from '../../scripts/packaging/offline-build';
import { PLACEHOLDER_MARKER } from '../../scripts/packaging/placeholder-electron';
import { EXPECTED_FUSES, offlineBuild, readFusesWithCli, removeTempDirs, REPO } from './support';

type Plist = Record<string, unknown>;

let build: OfflineBuildResult;

beforeAll(() => {
  build = offlineBuild('mac');
  console.log(
    `[mac] built with a PLACEHOLDER Electron in ${build.outDir} (KEEP_PACKAGING_OUTPUT=1 keeps it)`,
  );
});

afterAll(removeTempDirs);

function infoPlist(appPath: string): Plist {
  return plist.parse(readFileSync(join(appPath, 'Contents/Info.plist'), 'utf8')) as Plist;
}

describe.each(['x64', 'arm64'])('macOS .app, %s (placeholder Electron)', (arch) => {
  const app = (): string => build.apps[arch]!;

  it('is Open Softphone.app, built from the placeholder', () => {
    expect(app().endsWith('/Open Softphone.app')).toBe(true);
    expect(existsSync(join(build.placeholderDist, PLACEHOLDER_MARKER))).toBe(true);
    expect(existsSync(join(app(), 'Contents/MacOS/Open Softphone'))).toBe(true);
  });

  it('declares tel, sip, sips and callto as URL types', () => {
    const types = infoPlist(app()).CFBundleURLTypes as Plist[];
    expect(types.flatMap((t) => t.CFBundleURLSchemes as string[])).toEqual([
      'tel',
      'sip',
      'sips',
      'callto',
    ]);
    expect(types.every((t) => t.CFBundleTypeRole === 'Viewer')).toBe(true);
  });

  it('carries identity, category, copyright and the microphone usage text', () => {
    const info = infoPlist(app());
    expect(info.CFBundleIdentifier).toBe('org.opensoftphone.OpenSoftphone');
    expect(info.CFBundleName).toBe('Open Softphone');
    expect(info.LSApplicationCategoryType).toBe('public.app-category.business');
    expect(info.NSHumanReadableCopyright).toBe('© 2026 Open Softphone contributors');
    expect(info.NSMicrophoneUsageDescription).toMatch(/microphone.*calls/i);
    // Notification actions (Answer/Decline) need the alert style (NSUserNotificationAlertStyle).
    expect(info.NSUserNotificationAlertStyle).toBe('alert');
    expect(info.CFBundleIconFile).toBe('icon.icns');
    expect(readFileSync(join(app(), 'Contents/Resources/icon.icns'))).toEqual(
      readFileSync(join(REPO, 'resources/icon.icns')),
    );
  });

  it('records the asar header hash that Electron’s integrity check compares', () => {
    const archive = join(app(), 'Contents/Resources/app.asar');
    const integrity = infoPlist(app()).ElectronAsarIntegrity as Record<string, Plist>;
    const { headerString } = asar.getRawHeader(archive);
    expect(integrity['Resources/app.asar']).toEqual({
      algorithm: 'SHA256',
      hash: createHash('sha256').update(headerString).digest('hex'),
    });
  });

  it('flips the configured fuses in the Electron Framework binary', () => {
    const fuses = readFusesWithCli(app());
    for (const [name, state] of EXPECTED_FUSES) {
      expect(fuses.get(name), name).toBe(state);
    }
  });

  it('names the helpers after the product (Electron finds them by CFBundleName)', () => {
    for (const suffix of ['', ' (Renderer)', ' (GPU)', ' (Plugin)']) {
      const helper = join(app(), `Contents/Frameworks/Open Softphone Helper${suffix}.app`);
      expect(existsSync(helper), suffix).toBe(true);
    }
  });

  it('keeps only the configured locales (.lproj)', () => {
    const wanted = (loadBuilderConfig().electronLanguages as string[]).length;
    const lproj = (dir: string): string[] =>
      readdirSync(join(app(), dir)).filter((f) => f.endsWith('.lproj'));
    expect(lproj('Contents/Resources')).toHaveLength(wanted);
    expect(lproj('Contents/Frameworks/Electron Framework.framework/Versions/A/Resources')).toEqual(
      lproj('Contents/Resources'),
    );
  });
});

describe('macOS signing configuration (applied by codesign on macOS)', () => {
  const mac = loadBuilderConfig().mac!;
  const entitlements = (file: string): Plist =>
    plist.parse(readFileSync(join(REPO, file), 'utf8')) as Plist;

  it('hardens the runtime and builds a dmg for x64 and arm64', () => {
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(mac.notarize).toBeUndefined(); // notarizes when APPLE_* credentials are in the env
  });

  it('grants JIT and audio input, and nothing else, to app and helpers', () => {
    const expected = {
      'com.apple.security.cs.allow-jit': true,
      'com.apple.security.device.audio-input': true,
    };
    expect(mac.entitlements).toBe('build/entitlements.mac.plist');
    expect(mac.entitlementsInherit).toBe('build/entitlements.mac.inherit.plist');
    expect(entitlements(mac.entitlements!)).toEqual(expected);
    expect(entitlements(mac.entitlementsInherit!)).toEqual(expected);
  });
});
