// Dial rules: the corpus of rule sets, the "will dial" line, checks at save time (invalid
// patterns and replacements refused with a sentence), and the regex engine: the same matches as
// JavaScript's RegExp on the supported syntax, and a bounded amount of work on patterns that
// make a backtracking engine explode.
import { describe, expect, it } from 'vitest';
import { applyDialRules, checkDialRules, willDialText } from '@shared/dial-rules';
import { compileSafeRegex, execSafeRegex, replaceFirstSafe } from '@shared/safe-regex';
import { DEFAULT_DIAL_RULES, type DialRules } from '@shared/settings-types';
import { DIAL_RULE_SETS } from './dial-rules.corpus';

describe('rule set corpus', () => {
  for (const set of DIAL_RULE_SETS) {
    it(set.name, () => {
      expect(checkDialRules(set.rules)).toEqual([]);
      for (const { input, dial } of set.cases) {
        const result = applyDialRules(input, set.rules);
        if (dial.startsWith('!')) {
          expect(result.ok, input).toBe(false);
          expect(result.ok ? '' : result.message, input).toContain(dial.slice(1));
        } else {
          expect(result.ok ? result.dial : result.message, input).toBe(dial);
        }
      }
    });
  }
});

describe('will dial', () => {
  const rules: DialRules = { ...DEFAULT_DIAL_RULES, internationalPrefix: '00' };

  it('is shown when the rules change the number, with the steps that did', () => {
    const result = applyDialRules('+49 30 123', rules);
    expect(willDialText(result)).toBe('Will dial 004930123');
    expect(result.ok && result.steps).toEqual([
      { rule: 'strip spaces and punctuation', result: '+4930123' },
      { rule: '+ → international prefix', result: '004930123' },
    ]);
  });

  it('is not shown for a number dialled as it is, or one that cannot be dialled', () => {
    expect(willDialText(applyDialRules('1001', rules))).toBeNull();
    expect(willDialText(applyDialRules('call me', rules))).toBeNull();
  });
});

describe('checks at save time', () => {
  const withRewrite = (pattern: string, replacement = ''): DialRules => ({
    ...DEFAULT_DIAL_RULES,
    rewrites: [
      { pattern: '^0', replacement: '0' },
      { pattern, replacement },
    ],
  });

  it('names the rule and what is wrong with an invalid pattern', () => {
    expect(checkDialRules(withRewrite('(\\d+'))).toEqual([
      'Rewrite rule 2: The pattern is not valid: a "(" is never closed.',
    ]);
    expect(checkDialRules(withRewrite('(?<=0)1'))[0]).toContain('look-ahead, look-behind');
    expect(checkDialRules(withRewrite('(\\d)\\1'))[0]).toContain('back-references');
    expect(checkDialRules(withRewrite('\\d{1000}'))[0]).toContain('larger than 64');
    expect(checkDialRules(withRewrite(''))[0]).toBe('Rewrite rule 2: The pattern is empty.');
    expect(checkDialRules(withRewrite('x'.repeat(201)))[0]).toContain('longer than 200');
  });

  it('refuses replacements that use a missing group or put letters in a number', () => {
    expect(checkDialRules(withRewrite('^(\\d)', '$2'))).toEqual([
      'Rewrite rule 2: the replacement uses $2 but the pattern has 1 group.',
    ]);
    expect(checkDialRules(withRewrite('^1', 'call'))[0]).toContain('may only contain digits');
    expect(checkDialRules(withRewrite('^(\\d)(\\d)', '0$2$1'))).toEqual([]);
  });

  it('refuses prefixes that are not digits, * or #', () => {
    expect(
      checkDialRules({ ...DEFAULT_DIAL_RULES, internationalPrefix: '+', outsideLinePrefix: '9,' }),
    ).toEqual([
      'The international prefix may only contain digits, * and # (like 00 or 011).',
      'The outside-line prefix may only contain digits, * and # (like 0 or 9).',
    ]);
  });

  it('refuses to dial with rules that were never checked', () => {
    const result = applyDialRules('123', withRewrite('[9-0]'));
    expect(result).toEqual({
      ok: false,
      message:
        'Rewrite rule 2: The pattern is not valid: a range in [ ] is backwards (like [9-0]).',
    });
  });
});

describe('the regex engine', () => {
  // Patterns in the supported syntax, each run on inputs next to JavaScript's own RegExp.
  const PATTERNS = [
    '^\\+49',
    '^00(\\d+)$',
    '(\\d{3})(\\d+)',
    'a|ab',
    '(a|ab)(c|bcd)(d*)',
    '(a*)*b',
    '(a?)+b',
    'x*',
    '(a)|b',
    '[^0-9]+',
    '[0-9*#]+',
    '(?:12)+3',
    '1{2,3}',
    '1{2,}?',
    '\\d*?1',
    '\\d+?(\\d)',
    '$',
    '^',
    '[a-c\\d]+',
    '\\s+',
    '.+',
    '\\+?(\\d)(\\d)?',
    '((1)|(2))+',
    '[\\]\\-]',
    'a{,2}',
    '{',
  ];
  const INPUTS = [
    '',
    '+4930',
    '0049301234',
    'ab',
    'abcd',
    'aaab',
    'x12yz3',
    '112123',
    '1 2',
    '21',
    'a{,2}',
    ']-',
  ];

  it('finds what RegExp finds (index, match and groups) on every pattern × input', () => {
    for (const pattern of PATTERNS) {
      const compiled = compileSafeRegex(pattern);
      if (!compiled.ok) {
        throw new Error(`${pattern}: ${compiled.message}`);
      }
      for (const input of INPUTS) {
        const ours = execSafeRegex(compiled.regex, input);
        const js = new RegExp(pattern).exec(input);
        expect(
          ours && { index: ours.index, groups: ours.groups },
          `${pattern} on "${input}"`,
        ).toEqual(js && { index: js.index, groups: [...js] });
      }
    }
  });

  it('replaces like String.prototype.replace with a non-global RegExp', () => {
    const cases: [string, string, string][] = [
      ['^0049(\\d+)', '004930123', "0$1 [$&] $$ $2 $` $'"],
      ['(\\d)(\\d)', 'x12y', '$2$1'],
      ['9', '123', '0'],
    ];
    for (const [pattern, input, replacement] of cases) {
      const compiled = compileSafeRegex(pattern);
      if (!compiled.ok) {
        throw new Error(compiled.message);
      }
      expect(replaceFirstSafe(compiled.regex, input, replacement)).toBe(
        input.replace(new RegExp(pattern), replacement),
      );
    }
  });

  it('does bounded work on patterns that are exponential for backtracking engines', () => {
    for (const pattern of ['^(\\d+)+$', '(a|a)*b', '(\\d*)*#', '^(\\d|\\d\\d)+$', '(.*){1,32}x']) {
      const compiled = compileSafeRegex(pattern);
      if (!compiled.ok) {
        throw new Error(compiled.message);
      }
      const size = (compiled.regex as unknown as { program: unknown[] }).program.length;
      for (const input of ['1'.repeat(64) + 'a', 'a'.repeat(64) + 'c']) {
        const work = { steps: 0 };
        execSafeRegex(compiled.regex, input, work);
        expect(work.steps, pattern).toBeLessThanOrEqual(size * (input.length + 1));
      }
    }
  });

  it('lets a dial rule with such a pattern run to an answer', () => {
    const rules: DialRules = {
      ...DEFAULT_DIAL_RULES,
      rewrites: [{ pattern: '^(\\d+)+$', replacement: '0$1' }],
    };
    expect(applyDialRules(`${'1'.repeat(60)}#`, rules)).toMatchObject({
      ok: true,
      dial: `${'1'.repeat(60)}#`,
    });
  });
});
