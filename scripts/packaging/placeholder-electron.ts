// A PLACEHOLDER Electron distribution for packaging checks on machines that cannot download
// the real one. It has the shape electron-builder expects from an unpacked Electron dist
// (`electronDist`), for linux-x64, win32-x64 or darwin, but no Electron inside: the
// "executables" are shell scripts that refuse to run, or on Windows an empty PE image (no
// code) with a version resource. What it does carry is Electron's fuse wire: the sentinel
// @electron/fuses searches for, followed by the wire version, its length and one state byte
// per fuse, with Electron's defaults. electron-builder can therefore flip the fuses on it and
// the checks can read them back: that proves the configuration is applied, not that Electron
// enforces it (only the real-binary check can show that).
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import plist from 'plist';
import { NtExecutable, NtExecutableResource, Resource } from 'resedit';

/** The marker file that tells every check (and any human) this is not Electron. */
export const PLACEHOLDER_MARKER = 'PLACEHOLDER-NOT-ELECTRON.txt';

/** @electron/fuses' sentinel; the fuse wire follows it in every Electron binary since 12. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron's default fuse states ('1' on, '0' off), in wire order. The ninth fuse
 * (WasmTrapHandlers in current Electron) is newer than @electron/fuses 1.8, which
 * electron-builder uses: it must come through packaging untouched.
 */
export const DEFAULT_FUSES = {
  RunAsNode: '1',
  EnableCookieEncryption: '0',
  EnableNodeOptionsEnvironmentVariable: '1',
  EnableNodeCliInspectArguments: '1',
  EnableEmbeddedAsarIntegrityValidation: '0',
  OnlyLoadAppFromAsar: '0',
  LoadBrowserProcessSpecificV8Snapshot: '0',
  GrantFileProtocolExtraPrivileges: '1',
  WasmTrapHandlers: '1',
} as const;

/** Chromium locale packs of a real linux-x64 dist (names only; the content is filler). */
export const CHROMIUM_LOCALES = [
  'af', 'am', 'ar', 'bg', 'bn', 'ca', 'cs', 'da', 'de', 'el', 'en-GB', 'en-US', 'es', 'es-419',
  'et', 'fa', 'fi', 'fil', 'fr', 'gu', 'he', 'hi', 'hr', 'hu', 'id', 'it', 'ja', 'kn', 'ko',
  'lt', 'lv', 'ml', 'mr', 'ms', 'nb', 'nl', 'pl', 'pt-BR', 'pt-PT', 'ro', 'ru', 'sk', 'sl',
  'sr', 'sv', 'sw', 'ta', 'te', 'th', 'tr', 'uk', 'ur', 'vi', 'zh-CN', 'zh-TW',
]; // prettier-ignore

const NOTE =
  'This is a placeholder Electron distribution made by scripts/packaging/placeholder-electron.ts\n' +
  'for offline packaging checks. Nothing in it is Electron; the executables refuse to run.\n';

function fuseWire(): Buffer {
  const states = Object.values(DEFAULT_FUSES).join('');
  return Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'ascii'),
    Buffer.from([1, states.length]), // wire version 1, then the number of fuses
    Buffer.from(states, 'ascii'),
  ]);
}

/** A shell script that refuses to run, with the fuse wire after its `exit`. */
function fakeBinary(name: string, withFuses: boolean): Buffer {
  const script = `#!/bin/sh\necho "${name}: placeholder, not Electron" >&2\nexit 127\n`;
  return withFuses
    ? Buffer.concat([Buffer.from(script), Buffer.from('# '), fuseWire(), Buffer.from('\n')])
    : Buffer.from(script);
}

function put(path: string, content: string | Buffer, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  if (mode !== undefined) {
    chmodSync(path, mode);
  }
}

function commonFiles(dir: string, version: string): void {
  put(join(dir, PLACEHOLDER_MARKER), NOTE);
  put(join(dir, 'version'), version);
  put(join(dir, 'LICENSE'), 'Placeholder for Electron’s MIT licence.\n');
  put(join(dir, 'LICENSES.chromium.html'), '<!-- placeholder for Chromium’s licences -->\n');
}

/**
 * An x64 PE image with no code, a version resource (electron-builder edits it and adds the
 * asar integrity resource next to it) and the fuse wire as an RCDATA resource.
 */
function fakeWindowsExe(version: string): Buffer {
  const exe = NtExecutable.createEmpty(false, false);
  const res = NtExecutableResource.from(exe);
  const name = 'Placeholder, not Electron';
  const info = Resource.VersionInfo.create(1033, {}, [
    { lang: 1033, codepage: 1200, values: { ProductName: name, FileDescription: name } },
  ]);
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  info.setFileVersion(major, minor, patch, 0);
  info.setProductVersion(major, minor, patch, 0);
  info.outputToResourceEntries(res.entries);
  const wire = new Uint8Array(fuseWire()); // a copy with its own ArrayBuffer
  res.entries.push({
    type: 10, // RT_RCDATA
    id: 'ELECTRONFUSES',
    lang: 1033,
    codepage: 1200,
    bin: wire.buffer,
  });
  res.outputResource(exe);
  return Buffer.from(exe.generate());
}

/** Creates a placeholder shaped like electron-v<version>-win32-x64.zip, unpacked. */
export function createWindowsPlaceholder(dir: string, version: string): void {
  commonFiles(dir, version);
  put(join(dir, 'electron.exe'), fakeWindowsExe(version));
  for (const lib of ['d3dcompiler_47.dll', 'ffmpeg.dll', 'libEGL.dll', 'libGLESv2.dll']) {
    put(join(dir, lib), `placeholder ${lib}\n`);
  }
  for (const lib of ['vk_swiftshader.dll', 'vulkan-1.dll', 'vk_swiftshader_icd.json']) {
    put(join(dir, lib), `placeholder ${lib}\n`);
  }
  for (const data of [
    'chrome_100_percent.pak',
    'chrome_200_percent.pak',
    'resources.pak',
    'icudtl.dat',
    'snapshot_blob.bin',
    'v8_context_snapshot.bin',
  ]) {
    put(join(dir, data), `placeholder ${data}\n`);
  }
  for (const locale of CHROMIUM_LOCALES) {
    put(join(dir, 'locales', `${locale}.pak`), `placeholder ${locale} locale pack\n`);
  }
  mkdirSync(join(dir, 'resources'), { recursive: true });
}

/** Creates a placeholder shaped like electron-v<version>-linux-x64.zip, unpacked. */
export function createLinuxPlaceholder(dir: string, version: string): void {
  commonFiles(dir, version);
  put(join(dir, 'electron'), fakeBinary('electron', true), 0o755);
  put(join(dir, 'chrome-sandbox'), fakeBinary('chrome-sandbox', false), 0o755);
  put(join(dir, 'chrome_crashpad_handler'), fakeBinary('chrome_crashpad_handler', false), 0o755);
  for (const lib of ['libEGL.so', 'libGLESv2.so', 'libffmpeg.so', 'libvk_swiftshader.so']) {
    put(join(dir, lib), `placeholder ${lib}\n`);
  }
  for (const data of [
    'chrome_100_percent.pak',
    'chrome_200_percent.pak',
    'resources.pak',
    'icudtl.dat',
    'snapshot_blob.bin',
    'v8_context_snapshot.bin',
    'vk_swiftshader_icd.json',
  ]) {
    put(join(dir, data), `placeholder ${data}\n`);
  }
  for (const locale of CHROMIUM_LOCALES) {
    put(join(dir, 'locales', `${locale}.pak`), `placeholder ${locale} locale pack\n`);
  }
  mkdirSync(join(dir, 'resources'), { recursive: true }); // no default_app.asar
}

function bundlePlist(executable: string, id: string, version: string): string {
  return plist.build({
    CFBundleDisplayName: executable,
    CFBundleExecutable: executable,
    CFBundleIdentifier: id,
    CFBundleName: executable,
    CFBundlePackageType: 'APPL',
    CFBundleShortVersionString: version,
    CFBundleVersion: version,
    CFBundleIconFile: 'electron.icns',
    LSMinimumSystemVersion: '12.0',
    NSPrincipalClass: 'AtomApplication',
  });
}

/** Creates a placeholder shaped like electron-v<version>-darwin-<arch>.zip, unpacked. */
export function createDarwinPlaceholder(dir: string, version: string): void {
  commonFiles(dir, version);
  const contents = join(dir, 'Electron.app', 'Contents');
  put(join(contents, 'Info.plist'), bundlePlist('Electron', 'com.github.Electron', version));
  put(join(contents, 'MacOS', 'Electron'), fakeBinary('Electron', false), 0o755);
  put(join(contents, 'PkgInfo'), 'APPL????');
  put(join(contents, 'Resources', 'electron.icns'), 'placeholder icns\n');
  // Framework layout as shipped: Versions/A holds the files, the top level has symlinks.
  // The fuse wire lives in the framework binary on macOS; @electron/fuses looks there.
  const framework = join(contents, 'Frameworks', 'Electron Framework.framework');
  const versionA = join(framework, 'Versions', 'A');
  put(join(versionA, 'Electron Framework'), fakeBinary('Electron Framework', true), 0o755);
  symlinkSync('A', join(framework, 'Versions', 'Current'));
  symlinkSync('Versions/Current/Electron Framework', join(framework, 'Electron Framework'));
  symlinkSync('Versions/Current/Resources', join(framework, 'Resources'));
  for (const suffix of ['', ' (Renderer)', ' (GPU)', ' (Plugin)']) {
    const name = `Electron Helper${suffix}`;
    const helper = join(contents, 'Frameworks', `${name}.app`, 'Contents');
    const id = `com.github.Electron.helper${suffix.replace(/[ ()]/g, '').toLowerCase()}`;
    put(join(helper, 'Info.plist'), bundlePlist(name, id, version));
    put(join(helper, 'MacOS', name), fakeBinary(name, false), 0o755);
  }
  for (const locale of CHROMIUM_LOCALES) {
    // macOS names: en.lproj for en-US, underscores elsewhere (pt_BR.lproj).
    const lproj = `${locale === 'en-US' ? 'en' : locale.replace('-', '_')}.lproj`;
    put(join(contents, 'Resources', lproj, 'locale.pak'), `placeholder ${locale}\n`);
    put(join(versionA, 'Resources', lproj, 'locale.pak'), `placeholder ${locale}\n`);
  }
}
