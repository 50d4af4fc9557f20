// Owns per-account dial rules: how a number the user picked (typed, from a link, the history or
// a contact) becomes what is dialled on that account, and the "will dial …" line shown before
// the call. Order: strip punctuation, the regex rewrites in order (each on the result of the one
// before), a leading '+' → the international prefix, then the outside-line prefix for long
// numbers. Regexes run on the linear-time engine in safe-regex.ts. Platform-free and pure.
import { compileSafeRegex, replaceFirstSafe, type SafeRegex } from './safe-regex';
import type { DialRewriteRule, DialRules } from './settings-types';

/** Longest number the rules accept or produce. */
export const MAX_RULED_NUMBER = 64;

/** One applied step, for the "how was this number made" line in the account form. */
export interface DialRuleStep {
  rule: string;
  result: string;
}

export type DialRulesResult =
  | {
      ok: true;
      /** What is dialled. */
      dial: string;
      /** True when the rules changed the number (then the UI shows "will dial …"). */
      changed: boolean;
      steps: DialRuleStep[];
    }
  | { ok: false; message: string };

const PUNCTUATION = /[\s\-.()/\u00a0\u2010-\u2015\u2212]/g;
const DIALLABLE = /^\+?[0-9*#A-D]+$/;
const PREFIX = /^[0-9*#]{0,8}$/;

interface CompiledRule {
  rule: DialRewriteRule;
  regex: SafeRegex;
}

/** One sentence per problem with `rules`, e.g. for the account form; empty when fine. */
export function checkDialRules(rules: DialRules): string[] {
  const problems: string[] = [];
  if (!PREFIX.test(rules.internationalPrefix)) {
    problems.push('The international prefix may only contain digits, * and # (like 00 or 011).');
  }
  if (!PREFIX.test(rules.outsideLinePrefix)) {
    problems.push('The outside-line prefix may only contain digits, * and # (like 0 or 9).');
  }
  rules.rewrites.forEach((rule, i) => {
    const problem = checkRewrite(rule);
    if (problem) {
      problems.push(`Rewrite rule ${i + 1}: ${problem}`);
    }
  });
  return problems;
}

function checkRewrite(rule: DialRewriteRule): string | null {
  const compiled = compileSafeRegex(rule.pattern);
  if (!compiled.ok) {
    return compiled.message;
  }
  const refs = [...rule.replacement.matchAll(/\$([1-9])/g)].map((m) => Number(m[1]));
  const missing = refs.find((n) => n > compiled.regex.groupCount);
  if (missing !== undefined) {
    const groups = compiled.regex.groupCount;
    return `the replacement uses $${missing} but the pattern has ${groups === 1 ? '1 group' : `${groups} groups`}.`;
  }
  if (/[^0-9*#+$&`'A-D]/.test(rule.replacement.replace(/\$[1-9$&`']/g, ''))) {
    return 'the replacement may only contain digits, *, #, + and $1…$9.';
  }
  return null;
}

function compileRules(rules: DialRules): CompiledRule[] | string {
  const compiled: CompiledRule[] = [];
  for (const [i, rule] of rules.rewrites.entries()) {
    const result = compileSafeRegex(rule.pattern);
    if (!result.ok) {
      return `Rewrite rule ${i + 1}: ${result.message}`;
    }
    compiled.push({ rule, regex: result.regex });
  }
  return compiled;
}

/** Number of digits (0-9) in `text`. */
function digitCount(text: string): number {
  return text.replace(/[^0-9]/g, '').length;
}

/**
 * Applies `rules` to a telephone number (not a SIP address). Refused, with a sentence, when the
 * input or a step's result is not something a phone can dial (only digits, *, #, the DTMF
 * letters A-D and a leading +, at most 64 characters).
 */
export function applyDialRules(number: string, rules: DialRules): DialRulesResult {
  if (number.length > MAX_RULED_NUMBER * 4) {
    return { ok: false, message: 'This number is too long.' };
  }
  const compiled = compileRules(rules);
  if (typeof compiled === 'string') {
    return { ok: false, message: compiled };
  }
  const steps: DialRuleStep[] = [];
  let current = number.trim();
  const step = (rule: string, next: string): void => {
    if (next !== current) {
      steps.push({ rule, result: next });
      current = next;
    }
  };
  if (rules.stripPunctuation) {
    step('strip spaces and punctuation', current.replace(PUNCTUATION, ''));
  }
  compiled.forEach(({ rule, regex }, i) => {
    step(`rewrite ${i + 1} (${rule.pattern})`, replaceFirstSafe(regex, current, rule.replacement));
  });
  if (rules.internationalPrefix && current.startsWith('+')) {
    step('+ → international prefix', rules.internationalPrefix + current.slice(1));
  }
  if (rules.outsideLinePrefix && digitCount(current) >= rules.outsideLineMinDigits) {
    step('outside-line prefix', rules.outsideLinePrefix + current);
  }
  if (current.length === 0 || current.length > MAX_RULED_NUMBER || !DIALLABLE.test(current)) {
    const shown = steps.length > 0 ? ` (the rules made "${clip(current)}")` : '';
    return { ok: false, message: `This number cannot be dialled${shown}.` };
  }
  return { ok: true, dial: current, changed: current !== number, steps };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The line shown before a call when the rules change the number, e.g. "Will dial 0004930123456". */
export function willDialText(result: DialRulesResult): string | null {
  return result.ok && result.changed ? `Will dial ${result.dial}` : null;
}
