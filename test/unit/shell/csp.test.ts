// Unit tests of the CSP builder: connect-src is exactly the accounts' ws(s) URLs and their
// http(s) twins, nothing a user typed can add a directive, and the baseline stays strict.
import { describe, expect, it } from 'vitest';
import { buildCsp, connectSources, connectSrc } from '../../../src-main/security/csp';

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );
}

describe('connect-src', () => {
  it('lists each ws/wss URL with its http/https twin', () => {
    expect(connectSources('wss://pbx.example.com:8089/ws')).toEqual([
      'wss://pbx.example.com:8089/ws',
      'https://pbx.example.com:8089/ws',
    ]);
    expect(connectSources('ws://127.0.0.1:5066')).toEqual([
      'ws://127.0.0.1:5066/',
      'http://127.0.0.1:5066/',
    ]);
  });

  it('is exactly the configured servers, deduplicated, in order', () => {
    const value = connectSrc([
      { websocketUri: 'wss://a.example/ws' },
      { websocketUri: 'ws://b.example:8080/sip' },
      { websocketUri: 'wss://a.example/ws' },
    ]);
    expect(value.split(' ')).toEqual([
      'wss://a.example/ws',
      'https://a.example/ws',
      'ws://b.example:8080/sip',
      'http://b.example:8080/sip',
    ]);
  });

  it("is 'none' without accounts or with only unusable addresses", () => {
    expect(connectSrc([])).toBe("'none'");
    expect(connectSrc([{ websocketUri: 'not a url' }, { websocketUri: 'https://x.example' }])).toBe(
      "'none'",
    );
  });

  it('refuses addresses that are not plain ws/wss or carry credentials', () => {
    for (const bad of [
      'http://pbx.example/ws',
      'javascript:alert(1)',
      'wss://user:pw@pbx.example/ws',
      'file:///etc/passwd',
      '',
    ]) {
      expect(connectSources(bad), bad).toEqual([]);
    }
  });

  it('cannot be broken out of: ; , and quotes in a path are escaped', () => {
    const sources = connectSources("wss://pbx.example/ws;script-src 'unsafe-inline',x");
    expect(sources.join(' ')).not.toMatch(/[;,]/);
    const csp = buildCsp([{ websocketUri: "wss://pbx.example/ws;script-src 'unsafe-inline'" }]);
    const parsed = directives(csp);
    expect(parsed.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(csp.split(';').filter((d) => d.trim().startsWith('script-src'))).toHaveLength(1);
  });
});

describe('buildCsp', () => {
  it('keeps the strict baseline and narrows connect-src', () => {
    const parsed = directives(buildCsp([{ websocketUri: 'wss://pbx.example/ws' }]));
    expect(parsed.get('default-src')).toBe("'none'");
    expect(parsed.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(parsed.get('object-src')).toBe("'none'");
    expect(parsed.get('frame-ancestors')).toBe("'none'");
    expect(parsed.get('base-uri')).toBe("'none'");
    expect(parsed.get('connect-src')).toBe('wss://pbx.example/ws https://pbx.example/ws');
    // 'wasm-unsafe-eval' (WebAssembly compilation for RNNoise) is allowed; eval and inline are not.
    expect([...parsed.values()].join(' ')).not.toMatch(/'unsafe-(inline|eval|hashes)'/);
  });

  it('changes when the accounts change', () => {
    const before = buildCsp([{ websocketUri: 'wss://old.example/ws' }]);
    const after = buildCsp([{ websocketUri: 'wss://new.example/ws' }]);
    expect(before).toContain('old.example');
    expect(after).not.toContain('old.example');
    expect(after).toContain('wss://new.example/ws');
  });
});
