// The account form's dial-rule fields: the rewrite rules as text, one per line written
// "pattern => replacement", and the list they stand for, each way; and each field's own problem
// (the shared checker run on that field alone, so the focus lands on the field that is wrong).
// Pure.
import { checkDialRules } from '@shared/dial-rules';
import { DEFAULT_DIAL_RULES, type DialRewriteRule, type DialRules } from '@shared/settings-types';

const ARROW = '=>';

/** Most rewrite rules an account keeps (the settings schema's limit). */
export const MAX_REWRITES = 20;

/** The text the form shows for a list of rewrite rules. */
export function rewritesText(rules: readonly DialRewriteRule[]): string {
  return rules.map((r) => `${r.pattern} ${ARROW} ${r.replacement}`.trimEnd()).join('\n');
}

/** What the rewrite text stands for: the rules, or the sentence saying what is wrong. */
export type RewritesParse = { ok: true; rules: DialRewriteRule[] } | { ok: false; problem: string };

/** The rules in the text; blank lines are skipped; the last "=>" on a line splits it. */
export function rewritesFrom(text: string): RewritesParse {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > MAX_REWRITES) {
    return {
      ok: false,
      problem: `Keep to ${MAX_REWRITES} rewrite rules (there are ${lines.length}).`,
    };
  }
  const rules: DialRewriteRule[] = [];
  for (const [i, line] of lines.entries()) {
    const at = line.lastIndexOf(ARROW);
    const pattern = at < 0 ? '' : line.slice(0, at).trim();
    if (!pattern) {
      return {
        ok: false,
        problem: `Rewrite rule ${i + 1}: write it as pattern => replacement, for example ^\\+49 => 0.`,
      };
    }
    rules.push({ pattern, replacement: line.slice(at + ARROW.length).trim() });
  }
  return { ok: true, rules };
}

/** The dial-rule fields that can be wrong. */
export type DialRuleField = 'internationalPrefix' | 'outsideLinePrefix' | 'rewrites';

/** Each dial-rule field's problem, if any. */
export function dialRuleProblems(rules: DialRules): Partial<Record<DialRuleField, string>> {
  const alone = (patch: Partial<DialRules>): string | undefined => {
    const found = checkDialRules({ ...DEFAULT_DIAL_RULES, ...patch });
    return found.length > 0 ? found.join(' ') : undefined;
  };
  const problems: Partial<Record<DialRuleField, string>> = {
    internationalPrefix: alone({ internationalPrefix: rules.internationalPrefix }),
    outsideLinePrefix: alone({ outsideLinePrefix: rules.outsideLinePrefix }),
    rewrites: alone({ rewrites: rules.rewrites }),
  };
  return Object.fromEntries(Object.entries(problems).filter(([, p]) => p !== undefined));
}
