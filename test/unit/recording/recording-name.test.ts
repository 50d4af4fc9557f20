// Recording file names from the template: fields filled, and hostile party names (from the
// network) made into one safe file-name component on every OS.
import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_BYTES,
  numberedFileName,
  renderRecordingName,
  sanitizeFileName,
} from '@shared/recording-name';

const date = new Date(2026, 2, 1, 14, 5, 9);
const name = (party: string, template = '{date} {time} {direction} {party}'): string =>
  renderRecordingName(template, { date, party, direction: 'incoming', account: 'Office' });

describe('renderRecordingName', () => {
  it('fills date, time, direction, party and account', () => {
    expect(name('Alice Example')).toBe('2026-03-01 14-05-09 incoming Alice Example');
    expect(name('+49 30 1234', '{account}-{party}')).toBe('Office-+49 30 1234');
  });

  it('leaves unknown fields as text and never lets a party value add a field', () => {
    expect(name('x', '{nope} {party}')).toBe('nope x');
    expect(name('{date}')).toBe('2026-03-01 14-05-09 incoming date');
  });

  const hostile: [string, string][] = [
    ['../../etc/passwd', '2026-03-01 14-05-09 incoming .._.._etc_passwd'],
    ['C:\\Windows\\evil', '2026-03-01 14-05-09 incoming C__Windows_evil'],
    ['a<b>c:d"e|f?g*h', '2026-03-01 14-05-09 incoming a_b_c_d_e_f_g_h'],
    ['bell\u0007\nnew\rline\u0000', '2026-03-01 14-05-09 incoming bellnewline'],
    ['\u202Efdp.exe', '2026-03-01 14-05-09 incoming fdp.exe'],
    ['zero\u200Bwidth\uFEFF', '2026-03-01 14-05-09 incoming zerowidth'],
  ];
  it.each(hostile)('neutralises %j', (party, expected) => {
    expect(name(party)).toBe(expected);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['COM1', '_COM1'],
    ['lpt9', '_lpt9'],
    ['COM¹', '_COM¹'],
    ['console', 'console'],
  ])('guards the Windows device name %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('drops leading dots and dashes and trailing dots and spaces', () => {
    expect(sanitizeFileName('...hidden')).toBe('hidden');
    expect(sanitizeFileName('--help')).toBe('help');
    expect(sanitizeFileName('name. . ')).toBe('name');
  });

  it('never returns an empty name', () => {
    for (const input of ['', '   ', '...', '\u0000\u0001', '\u202E']) {
      expect(sanitizeFileName(input)).toBe('recording');
    }
  });

  it('collapses whitespace and normalises to NFC', () => {
    expect(sanitizeFileName('a \t\n  b')).toBe('a b');
    expect(sanitizeFileName('Jose\u0301')).toBe('Jos\u00e9');
  });

  it('cuts long names to a byte budget without splitting a character', () => {
    const long = '😀'.repeat(200);
    const safe = sanitizeFileName(long);
    expect(Buffer.byteLength(safe, 'utf8')).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(safe).toBe('😀'.repeat(MAX_NAME_BYTES / 4));
    expect(sanitizeFileName('a'.repeat(1000))).toHaveLength(MAX_NAME_BYTES);
  });
});

describe('numberedFileName', () => {
  it('numbers from the second candidate on', () => {
    expect(numberedFileName('call', 'wav', 1)).toBe('call.wav');
    expect(numberedFileName('call', 'wav', 2)).toBe('call (2).wav');
  });
});
