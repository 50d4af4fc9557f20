// electron-builder.yml against the product constants and the hardening the release needs.
// The offline builds check how electron-builder applies it; this pins the values themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/packaging/offline-build';
import { electronDist, testPackageConfig } from '../../scripts/packaging/electron-test-build';
import { REPO } from './support';

const config = loadBuilderConfig();
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('uses the product constants', () => {
    expect(config.appId).toBe('org.opensoftphone.OpenSoftphone');
    expect(config.productName).toBe('Open Softphone');
    expect(config.copyright).toBe('© 2026 Open Softphone contributors');
    expect(config.linux!.executableName).toBe('open-softphone');
    expect(config.win!.executableName).toBe('open-softphone');
    expect(config.extraMetadata).toEqual({ desktopName: 'open-softphone.desktop' });
    expect(pkg.productName).toBe('Open Softphone');
    expect(pkg.license).toBe('GPL-3.0-or-later');
  });

  it('registers tel, sip, sips and callto', () => {
    expect(config.protocols).toEqual([
      { name: 'Phone call link', schemes: ['tel', 'sip', 'sips', 'callto'], role: 'Viewer' },
    ]);
  });

  it('sets the fuses: no Node escape hatches, cookies encrypted, app only from the asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('macOS notifications are alerts, so Answer and Decline stay on screen', () => {
    expect(config.mac!.extendInfo).toMatchObject({ NSUserNotificationAlertStyle: 'alert' });
  });

  it('needs Node 22.12 for the app, without making npm refuse Node 20 (CI, tests)', () => {
    expect(pkg.engines).toEqual({ node: '>=22.12' });
    const npmrc = readFileSync(join(REPO, '.npmrc'), 'utf8');
    expect(npmrc).toMatch(/^engine-strict=false$/m);
    const scripts = pkg.scripts as Record<string, string>;
    for (const hook of ['postinstall', 'prestart', 'predev']) {
      expect(scripts[hook], hook).toMatch(/^tsx scripts\/ensure-electron\.ts/);
    }
  });

  it('keeps the sandbox: no --no-sandbox anywhere, the link always after --', () => {
    expect(config.deb!.executableArgs).toEqual(['--', '%u']);
    expect(config.rpm!.executableArgs).toEqual(['--', '%u']);
    expect(config.appImage!.executableArgs).toEqual(['--']);
    expect(JSON.stringify(config)).not.toContain('no-sandbox');
  });

  it('depends on the Secret Service client keytar needs', () => {
    expect(config.deb!.depends).toContain('libsecret-1-0');
    expect(config.rpm!.depends).toContain('libsecret');
  });

  it('builds AppImage, deb and rpm for Linux under Network;Telephony;', () => {
    expect(config.linux!.category).toBe('Network;Telephony;');
    const targets = config.linux!.target as Array<{ target: string }>;
    expect(targets.map((t) => t.target)).toEqual(['AppImage', 'deb', 'rpm']);
  });

  it('ships the tray icons and filters locales, keeping en-US', () => {
    expect(config.extraResources).toContainEqual({
      from: 'resources/tray',
      to: 'tray',
      filter: ['*.png'],
    });
    expect(config.electronLanguages).toContain('en-US');
    expect(config.compression).toBe('normal');
  });

  it('the packaged test build (test:electron:packaged) differs from the release only where Playwright needs it', () => {
    const test = testPackageConfig(config, '/electron/dist');
    expect(test.electronFuses).toEqual({
      ...config.electronFuses,
      enableNodeCliInspectArguments: true,
    });
    expect(test.files).toEqual(
      (config.files as string[]).map((f) => f.replace(/^out\//, 'out-test/')),
    );
    expect(test.extraMetadata).toEqual({
      ...config.extraMetadata,
      main: './out-test/main/index.js',
    });
    expect(test.directories?.output).toBe('release-test');
    for (const key of ['asar', 'asarUnpack', 'protocols', 'electronLanguages'] as const) {
      expect(test[key], key).toEqual(config[key]);
    }
    expect(electronDist({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' })).toMatchObject({
      reason: expect.stringMatching(/no Electron distribution in \/nonexistent/),
    });
  });
});
