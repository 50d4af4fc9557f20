// Unit tests of the app:// protocol handler: files only from the renderer folder, the CSP as a
// response header rebuilt per request, and nothing outside the folder or our host.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  resolveAppFile,
} from '../../../src-main/windows/app-protocol';

const base = mkdtempSync(join(tmpdir(), 'softphone-proto-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>phone</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.txt'), 'outside the renderer folder');
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('app:// scheme', () => {
  it('is registered standard and secure (a real origin, a secure context)', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges?.standard).toBe(true);
    expect(APP_SCHEME_PRIVILEGES.privileges?.secure).toBe(true);
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeFalsy();
    expect(APP_ENTRY_URL).toBe('app://softphone/index.html');
  });

  it('maps our URLs into the renderer folder and nothing else', () => {
    expect(resolveAppFile('app://softphone/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://softphone/assets/app.js', root)).toBe(join(root, 'assets/app.js'));
    // Dot segments, raw or escaped, never climb out of the folder.
    for (const sneaky of [
      'app://softphone/../secret.txt',
      'app://softphone/%2e%2e/secret.txt',
      'app://softphone/assets/..%2f..%2fsecret.txt',
      'app://softphone/assets/..%5c..%5csecret.txt',
      'app://softphone/%2e%2e%2f%2e%2e%2fsecret.txt',
    ]) {
      const file = resolveAppFile(sneaky, root);
      expect(file === null || file.startsWith(`${root}/`), `${sneaky} → ${file}`).toBe(true);
      expect(file).not.toBe(join(base, 'secret.txt'));
    }
    expect(resolveAppFile('app://softphone/a%00.js', root)).toBe(null);
    expect(resolveAppFile('app://other/index.html', root)).toBe(null);
    expect(resolveAppFile('https://softphone/index.html', root)).toBe(null);
    expect(resolveAppFile('app://softphone/%E0%A4%A', root)).toBe(null);
  });
});

describe('protocol handler', () => {
  let csp = "connect-src 'none'";
  const served: string[] = [];
  const handle = createAppProtocolHandler({
    root,
    csp: () => csp,
    readFile,
    documentServed: (policy, url) => served.push(`${policy} @ ${url}`),
  });

  it('serves index.html with the CSP header and a content type', async () => {
    const response = await handle(new Request('app://softphone/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("connect-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>phone</title>');
  });

  it('rebuilds the CSP on every request (settings changes apply to the next load)', async () => {
    csp = 'connect-src wss://pbx.example/ws https://pbx.example/ws';
    const response = await handle(new Request('app://softphone/'));
    expect(response.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses files outside the folder, unknown files, other hosts and writes', async () => {
    expect((await handle(new Request('app://softphone/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://softphone/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(404);
    const post = await handle(
      new Request('app://softphone/index.html', { method: 'POST', body: 'x' }),
    );
    expect(post.status).toBe(405);
  });

  it('serves scripts as JavaScript', async () => {
    const response = await handle(new Request('app://softphone/assets/app.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('reports each HTML document served with its policy and URL (for the CSP follower)', async () => {
    served.length = 0;
    csp = 'connect-src wss://a.example/ws';
    await handle(new Request('app://softphone/index.html'));
    await handle(new Request('app://softphone/assets/app.js'));
    await handle(new Request('app://softphone/index.html?window=popup'));
    expect(served).toEqual([
      'connect-src wss://a.example/ws @ app://softphone/index.html',
      'connect-src wss://a.example/ws @ app://softphone/index.html?window=popup',
    ]);
  });
});
