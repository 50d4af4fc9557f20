// Windows installer, checked on Linux. electron-builder's NSIS target needs its downloaded
// NSIS bundle (with its plugins) and 7-Zip, neither available here, so this checks what the
// project controls: the NSIS configuration (per-user, no admin) and build/installer.nsh, the
// Default Apps registration for tel/sip/sips/callto. The script is compiled with Debian's
// makensis (-WX) inside a stub that defines what electron-builder defines, and its registry
// writes are read statically: every key the install writes, the uninstall removes, and the
// command passes the link after `--`. Running it needs Windows (or Wine), not done here. The
// app the installer carries is checked in win-offline.test.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/packaging/offline-build';
import { hasTool, removeTempDirs, REPO, run, tempDir } from './support';

const config = loadBuilderConfig();
const nsis = config.nsis!;
const exeName = `${config.win!.executableName!}.exe`;
/** What electron-builder !defines for the include (the subset installer.nsh uses). */
const EB_DEFINES: Record<string, string> = {
  APP_ID: config.appId!,
  APP_EXECUTABLE_FILENAME: exeName,
};

interface RegOp {
  readonly op: string;
  readonly args: readonly string[];
}

/** Splits an NSIS line into words, honouring "…", '…' and `…` quoting. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|`([^`]*)`|(\S+)/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? m[4]!,
  );
}

/** Expands !define values and !insertmacro calls of installer.nsh into a flat line list. */
function expandMacro(source: string, name: string): string[] {
  const defines = new Map(Object.entries(EB_DEFINES));
  const macros = new Map<string, { params: string[]; body: string[] }>();
  let current: { params: string[]; body: string[] } | null = null;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(';') || line === '') {
      continue;
    }
    const [head, ...rest] = words(line);
    if (head === '!define') {
      defines.set(rest[0]!, rest[1] ?? '');
    } else if (head === '!macro') {
      current = { params: rest.slice(1), body: [] };
      macros.set(rest[0]!, current);
    } else if (head === '!macroend') {
      current = null;
    } else if (current) {
      current.body.push(line);
    }
  }
  const subst = (text: string, vars: Map<string, string>): string => {
    let out = text;
    for (let i = 0; i < 5; i++) {
      out = out.replace(/\$\{([A-Za-z_]+)\}/g, (m, k: string) => vars.get(k) ?? m);
    }
    return out;
  };
  const expand = (macro: string, args: string[]): string[] => {
    const m = macros.get(macro);
    if (!m) {
      throw new Error(`no macro ${macro}`);
    }
    const vars = new Map(defines);
    m.params.forEach((p, i) => vars.set(p, args[i] ?? ''));
    return m.body.flatMap((line) => {
      const [head, ...rest] = words(line);
      return head === '!insertmacro' ? expand(rest[0]!, rest.slice(1)) : [subst(line, vars)];
    });
  };
  return expand(name, []);
}

function registryOps(lines: string[]): RegOp[] {
  return lines
    .map((l) => words(l))
    .filter(([op]) => op!.startsWith('WriteReg') || op!.startsWith('DeleteReg'))
    .map(([op, ...args]) => ({ op: op!, args: args.filter((a) => a !== '/ifempty') }));
}

const source = readFileSync(join(REPO, 'build/installer.nsh'), 'utf8');
const install = registryOps(expandMacro(source, 'customInstall'));
const uninstall = registryOps(expandMacro(source, 'customUnInstall'));

afterAll(removeTempDirs);

describe('NSIS configuration', () => {
  it('installs per user without asking for admin rights', () => {
    expect(nsis.perMachine).toBe(false);
    expect(nsis.oneClick).toBe(true); // no install-mode page that could offer "all users"
    expect(nsis.allowElevation).toBe(false);
    expect(config.win!.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
  });

  it('uses build/installer.nsh and the app icon', () => {
    expect(nsis.include).toBe('build/installer.nsh');
    expect(config.win!.icon).toBe('resources/icon.ico');
    expect(exeName).toBe('open-softphone.exe');
  });
});

describe('build/installer.nsh: Default Apps registration', () => {
  it('compiles with makensis -WX inside a stub defining what electron-builder defines', () => {
    expect(hasTool('makensis'), 'makensis missing: apt-get install nsis').toBe(true);
    const dir = tempDir('nsis');
    const defines = Object.entries(EB_DEFINES)
      .map(([k, v]) => `!define ${k} "${v}"`)
      .join('\n');
    const stub = `Unicode true
!include LogicLib.nsh
${defines}
!define isUpdated "0 == 1"
Name "installer.nsh check"
OutFile "${join(dir, 'check.exe')}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\\Programs\\open-softphone"
!include "${join(REPO, 'build/installer.nsh')}"
Section "install"
  !insertmacro customInstall
  WriteUninstaller "$INSTDIR\\uninstall.exe"
SectionEnd
Section "un.uninstall"
  !insertmacro customUnInstall
SectionEnd
`;
    writeFileSync(join(dir, 'check.nsi'), stub);
    run('makensis', ['-V2', '-WX', join(dir, 'check.nsi')]);
  });

  it('writes only to HKCU', () => {
    expect([...install, ...uninstall].every((r) => r.args[0] === 'HKCU')).toBe(true);
  });

  it('opens links with the installed exe, the link after `--`', () => {
    const command = install.find((r) => r.args[1]!.endsWith('\\shell\\open\\command'));
    expect(command?.args.slice(1)).toEqual([
      'Software\\Classes\\OpenSoftphone.Url\\shell\\open\\command',
      '',
      '"$INSTDIR\\open-softphone.exe" -- "%1"',
    ]);
  });

  it('associates tel, sip, sips and callto with the ProgID under registered capabilities', () => {
    const caps = 'Software\\Clients\\Internet Call\\Open Softphone\\Capabilities';
    const assoc = install.filter((r) => r.args[1] === `${caps}\\URLAssociations`);
    expect(assoc.map((r) => [r.args[2], r.args[3]])).toEqual(
      ['tel', 'sip', 'sips', 'callto'].map((s) => [s, 'OpenSoftphone.Url']),
    );
    expect(install).toContainEqual({
      op: 'WriteRegStr',
      args: ['HKCU', 'Software\\RegisteredApplications', 'Open Softphone', caps],
    });
    const progId = install.filter((r) => r.args[1] === 'Software\\Classes\\OpenSoftphone.Url');
    expect(progId.length).toBeGreaterThan(0);
    expect(install).toContainEqual({
      op: 'WriteRegStr',
      args: [
        'HKCU',
        'Software\\Classes\\OpenSoftphone.Url\\Application',
        'AppUserModelID',
        'org.opensoftphone.OpenSoftphone',
      ],
    });
  });

  it('never gives a scheme key a command: the user picks the handler', () => {
    const schemeKeys = install.filter((r) =>
      /^Software\\Classes\\(tel|sip|sips|callto)(\\|$)/.test(r.args[1]!),
    );
    expect(schemeKeys.length).toBeGreaterThan(0);
    expect(schemeKeys.every((r) => r.args[1]!.split('\\').length === 3)).toBe(true);
  });

  it('removes on uninstall every key and value the install writes', () => {
    const removedKeys = uninstall.filter((r) => r.op === 'DeleteRegKey').map((r) => r.args[1]!);
    const removedValues = uninstall
      .filter((r) => r.op === 'DeleteRegValue')
      .map((r) => `${r.args[1]}|${r.args[2]}`);
    const leftovers = install.filter((w) => {
      const key = w.args[1]!;
      const underRemovedKey = removedKeys.some((k) => key === k || key.startsWith(`${k}\\`));
      return !underRemovedKey && !removedValues.includes(`${key}|${w.args[2]}`);
    });
    expect(leftovers).toEqual([]);
  });

  it('uninstall removes a scheme command left pointing at this exe, and only that', () => {
    const lines = expandMacro(source, 'customUnInstall');
    for (const scheme of ['tel', 'sip', 'sips', 'callto']) {
      const key = `Software\\Classes\\${scheme}\\shell\\open\\command`;
      expect(uninstall).toContainEqual({ op: 'DeleteRegKey', args: ['HKCU', key] });
      // Guarded: read first, compared with this install's exe before anything is deleted.
      const read = lines.findIndex((l) => l.startsWith(`ReadRegStr $0 HKCU "${key}"`));
      const compare = lines.findIndex(
        (l, i) => i > read && l === `\${If} $1 == '"$INSTDIR\\open-softphone.exe"'`,
      );
      const remove = lines.findIndex((l, i) => i > compare && l === `DeleteRegKey HKCU "${key}"`);
      expect(
        [read, compare, remove].every((i) => i >= 0),
        scheme,
      ).toBe(true);
      expect(read < compare && compare < remove).toBe(true);
    }
  });
});
