// Runs Electronegativity (Doyensec's Electron security scanner) offline over the app: the main
// process sources (src-main, preload included) and the built renderer (out/renderer) are staged
// together in one folder so its global checks (CSP, navigation limits, permission handler) see
// the whole app, as the shipped app is. Findings are matched against the reviewed exceptions in
// electronegativity-exceptions.json. Used by the integration test and `npm run security:scan`.
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXCEPTIONS_FILE = join(import.meta.dirname, 'electronegativity-exceptions.json');

export interface Finding {
  id: string;
  file: string;
  line: number;
  description: string;
  manualReview: boolean;
}

export interface ScanResult {
  findings: Finding[];
  /** Files the scanner could not parse (a clean result must not hide these). */
  errors: { file: string; message: string }[];
  /** Number of files the scanner read. */
  files: number;
  checks: number;
  /** URLs the scanner tried to fetch (all refused: the scan is offline). */
  blockedRequests: string[];
}

export interface ReviewedException {
  check: string;
  file: string;
  reason: string;
}

const require = createRequire(import.meta.url);
const blockedRequests: string[] = [];

// Electronegativity fetches translations (and, in one check, Electron release data) with `got`.
// This scan must not leave the machine: `got` is replaced by a stub that refuses every request.
function installOfflineGot(): void {
  const base = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [base] });
  const refuse = (url: unknown): Promise<never> => {
    blockedRequests.push(String(url));
    return Promise.reject(new Error('network access is disabled for this scan'));
  };
  require.cache[gotPath] = {
    id: gotPath,
    filename: gotPath,
    loaded: true,
    exports: Object.assign(refuse, { default: refuse }),
  } as unknown as NodeJS.Module;
}

type Run = (options: Record<string, unknown>) => Promise<{
  errors: { file: string; message: string }[];
  issues: {
    id: string;
    file: string;
    location: { line: number };
    description: string;
    manualReview: boolean;
  }[];
  atomicChecks: number;
  globalChecks: number;
}>;

let runner: Run | null = null;
function loadRunner(): Run {
  if (!runner) {
    installOfflineGot();
    runner = require('@doyensec/electronegativity') as Run;
  }
  return runner;
}

function electronVersion(): string {
  const pkg = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return pkg.version;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : e.isFile() ? [path] : [];
  });
}

/**
 * The app as one folder: src-main as is; out/renderer with its JavaScript lowered to ES2021,
 * because the scanner's scope analysis (escope) predates class fields and cannot walk the
 * ES2022 bundle. Same code, older syntax: the API calls and strings the checks look for stay.
 */
export function stageApp(): string {
  const stage = mkdtempSync(join(tmpdir(), 'softphone-electronegativity-'));
  const renderer = join(ROOT, 'out/renderer');
  cpSync(join(ROOT, 'src-main'), join(stage, 'src-main'), { recursive: true });
  for (const file of filesUnder(renderer)) {
    const target = join(stage, 'out/renderer', relative(renderer, file));
    mkdirSync(dirname(target), { recursive: true });
    if (file.endsWith('.js')) {
      const lowered = ts.transpileModule(readFileSync(file, 'utf8'), {
        compilerOptions: { target: ts.ScriptTarget.ES2021, module: ts.ModuleKind.ESNext },
      }).outputText;
      writeFileSync(target, lowered);
    } else {
      cpSync(file, target);
    }
  }
  return stage;
}

/** Scans a folder (the staged app or a fixture). */
export async function scan(input: string): Promise<ScanResult> {
  const run = loadRunner();
  const before = blockedRequests.length;
  const result = await run({
    input,
    output: null,
    isSarif: false,
    customScan: [],
    // Compares with Electron's release feed on the network; the version is pinned in package.json.
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    severitySet: null,
    confidenceSet: null,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: null,
    // The Electron version comes from the installed package, not from a staged package.json.
    electronVersionOverride: electronVersion(),
    parserPlugins: [],
  });
  return {
    findings: result.issues.map((i) => ({
      id: i.id,
      file: i.file,
      line: i.location.line,
      description: i.description,
      manualReview: i.manualReview,
    })),
    errors: result.errors.map((e) => ({
      file: relative(input, e.file) || e.file,
      message: e.message,
    })),
    files: filesUnder(input).length,
    checks: result.atomicChecks + result.globalChecks,
    blockedRequests: blockedRequests.slice(before),
  };
}

export function loadExceptions(): ReviewedException[] {
  return JSON.parse(readFileSync(EXCEPTIONS_FILE, 'utf8')) as ReviewedException[];
}

/** Findings not covered by a reviewed exception, and exceptions no finding needed. */
export function review(
  findings: Finding[],
  exceptions: ReviewedException[],
): { unreviewed: Finding[]; unused: ReviewedException[] } {
  const covers = (e: ReviewedException, f: Finding): boolean =>
    e.check === f.id && e.file === f.file;
  return {
    unreviewed: findings.filter((f) => !exceptions.some((e) => covers(e, f))),
    unused: exceptions.filter((e) => !findings.some((f) => covers(e, f))),
  };
}

interface CspEvaluatorModule {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (
    csp: unknown,
    version: unknown,
  ) => { evaluate(): { severity: number; directive: string; value: string }[] };
  Version: { CSP3: unknown };
  severities: Record<string, number>;
}

/** Evaluates a CSP with the scanner's own evaluator (Google's csp-evaluator, as Doyensec ships it). */
export function evaluateCsp(
  policy: string,
): { severity: string; directive: string; value: string }[] {
  const base = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const mod = require(
    require.resolve('@doyensec/csp-evaluator', { paths: [base] }),
  ) as CspEvaluatorModule;
  const names = new Map(Object.entries(mod.severities).map(([name, value]) => [value, name]));
  return new mod.CspEvaluator(new mod.CspParser(policy).csp, mod.Version.CSP3)
    .evaluate()
    .map((f) => ({
      severity: names.get(f.severity) ?? String(f.severity),
      directive: f.directive,
      value: f.value,
    }));
}

/** Stages the app, scans it and removes the stage. */
export async function scanApp(): Promise<ScanResult> {
  const stage = stageApp();
  try {
    return await scan(stage);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
