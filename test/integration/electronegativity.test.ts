// Issue 4, test 5: Electronegativity over main, preload and the built renderer finds nothing
// apart from the reviewed exceptions (each with a written reason), parses every file, and stays
// offline; the same scanner, in the same run, flags the deliberately insecure fixture app, so a
// clean result cannot mean it read nothing. Builds the app first when out/renderer is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from '../../src-main/security/csp';
import {
  evaluateCsp,
  loadExceptions,
  review,
  ROOT,
  scan,
  scanApp,
  type ScanResult,
} from '../security/electronegativity';

const FIXTURE = join(ROOT, 'test/fixtures/insecure-app');
let app: ScanResult;
let fixture: ScanResult;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  app = await scanApp();
  fixture = await scan(FIXTURE);
}, 120_000);

describe('Electronegativity over the app', () => {
  it('reads main, preload and the renderer, and parses every file', () => {
    expect(app.errors).toEqual([]);
    expect(app.checks).toBeGreaterThan(30);
    expect(app.files).toBeGreaterThan(30);
    // Proof that each part was read: a finding located in main and one in the renderer.
    expect(app.findings.some((f) => f.file.startsWith('src-main/'))).toBe(true);
    expect(app.findings.some((f) => f.file.startsWith('out/renderer/'))).toBe(true);
  });

  it('has no findings apart from reviewed exceptions, and no stale exception', () => {
    const { unreviewed, unused } = review(app.findings, loadExceptions());
    expect(unreviewed).toEqual([]);
    expect(unused).toEqual([]);
  });

  it('every exception says why in words', () => {
    for (const exception of loadExceptions()) {
      expect(exception.reason.length, `${exception.check} ${exception.file}`).toBeGreaterThan(80);
    }
  });

  it('finds none of the dangerous configurations in the app', () => {
    const ids = new Set(app.findings.map((f) => f.id));
    for (const id of [
      'NODE_INTEGRATION_JS_CHECK',
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'INSECURE_CONTENT_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'HTTP_RESOURCES_JS_CHECK',
    ]) {
      expect(ids.has(id), id).toBe(false);
    }
  });

  it('stays offline: its one request (translations) went to the refusing stub', () => {
    // If the stub were not in place, this would be a real request and the list would be empty.
    expect(app.blockedRequests).toHaveLength(1);
    expect(app.blockedRequests[0]).toMatch(/^https:\/\/electronegativity-i18n\..*\.json$/);
  });
});

describe('the same scanner on a deliberately insecure app', () => {
  it('flags the insecure fixture', () => {
    expect(fixture.errors).toEqual([]);
    const ids = new Set(fixture.findings.map((f) => f.id));
    for (const id of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'INSECURE_CONTENT_JS_CHECK',
      'EXPERIMENTAL_FEATURES_JS_CHECK',
      'BLINK_FEATURES_JS_CHECK',
      'CERTIFICATE_ERROR_EVENT_JS_CHECK',
      'OPEN_EXTERNAL_JS_CHECK',
      'HTTP_RESOURCES_JS_CHECK',
      'HTTP_RESOURCES_HTML_CHECK',
      'NODE_INTEGRATION_HTML_CHECK',
      'ALLOWPOPUPS_HTML_CHECK',
      'CSP_GLOBAL_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
    ]) {
      expect(ids.has(id), `${id} should fire on the fixture`).toBe(true);
    }
    expect(review(fixture.findings, loadExceptions()).unreviewed.length).toBeGreaterThan(15);
  });
});

describe('the production CSP header', () => {
  it('csp-evaluator finds nothing but the reviewed script-src remarks', () => {
    const header = buildCsp([{ websocketUri: 'wss://pbx.example.com:8089/ws' }]);
    // SYNTAX: the evaluator predates CSP3's 'wasm-unsafe-eval' (Chromium 97+), which allows
    // WebAssembly compilation only (RNNoise), not eval; see the exceptions file.
    expect(evaluateCsp(header)).toEqual([
      { severity: 'MEDIUM_MAYBE', directive: 'script-src', value: "'self'" },
      { severity: 'SYNTAX', directive: 'script-src', value: "'wasm-unsafe-eval'" },
    ]);
  });
});
