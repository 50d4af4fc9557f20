// Dial rule sets as offices use them, each with numbers as people write them and what must be
// dialled (worked out by hand from the rule order: strip punctuation, rewrites in order,
// '+' → international prefix, outside-line prefix for numbers with enough digits).
import { DEFAULT_DIAL_RULES, type DialRules } from '@shared/settings-types';

export interface DialRulesCase {
  input: string;
  /** What is dialled, or a substring of the refusal when it starts with '!'. */
  dial: string;
}

export interface DialRuleSet {
  name: string;
  rules: DialRules;
  cases: DialRulesCase[];
}

export const DIAL_RULE_SETS: DialRuleSet[] = [
  {
    name: 'German office PBX: 0 for an outside line, own country dialled nationally',
    rules: {
      stripPunctuation: true,
      internationalPrefix: '00',
      outsideLinePrefix: '0',
      outsideLineMinDigits: 5,
      rewrites: [
        { pattern: '^\\+490', replacement: '+49' }, // "+49 (0)30…": drop the trunk 0
        { pattern: '^\\+49', replacement: '0' },
      ],
    },
    cases: [
      { input: '+49 30 1234567', dial: '00301234567' },
      { input: '+49 (0)30 123 45 67', dial: '00301234567' },
      { input: '030/123 45-67', dial: '00301234567' },
      { input: '+1 (415) 555-0100', dial: '00014155550100' },
      { input: '+43 1 588 58 0', dial: '000431588580' },
      { input: '1001', dial: '1001' },
      { input: '*97', dial: '*97' },
      { input: '2345', dial: '2345' },
      { input: '23456', dial: '023456' },
    ],
  },
  {
    name: 'US PBX: 9 for an outside line, 1 + ten digits at home, 011 abroad',
    rules: {
      stripPunctuation: true,
      internationalPrefix: '011',
      outsideLinePrefix: '9',
      outsideLineMinDigits: 7,
      rewrites: [{ pattern: '^\\+1(\\d{10})$', replacement: '1$1' }],
    },
    cases: [
      { input: '+1 415 555 0100', dial: '914155550100' },
      { input: '(415) 555-0100', dial: '94155550100' },
      { input: '+44 20 7946 0958', dial: '9011442079460958' },
      { input: '555-0100', dial: '95550100' },
      { input: '2100', dial: '2100' },
      { input: '+1 415 555 01000', dial: '9011141555501000' },
    ],
  },
  {
    name: 'defaults: only punctuation is removed, + is kept',
    rules: DEFAULT_DIAL_RULES,
    cases: [
      { input: '+49 30 123456', dial: '+4930123456' },
      { input: '+1.415.555.0100', dial: '+14155550100' },
      { input: '1001', dial: '1001' },
      { input: '#31#0301234', dial: '#31#0301234' },
      { input: '12 ab', dial: '!cannot be dialled' },
      { input: '', dial: '!cannot be dialled' },
      { input: '1'.repeat(65), dial: '!cannot be dialled' },
    ],
  },
  {
    name: 'nothing stripped: what the user typed must already be dialable',
    rules: { ...DEFAULT_DIAL_RULES, stripPunctuation: false },
    cases: [
      { input: '+4930123', dial: '+4930123' },
      { input: '+49 30 123', dial: '!cannot be dialled' },
    ],
  },
  {
    name: 'a short-code rewrite and a rule that empties the number',
    rules: {
      ...DEFAULT_DIAL_RULES,
      rewrites: [
        { pattern: '^112$', replacement: '0112' },
        { pattern: '^99(.*)$', replacement: '' },
      ],
    },
    cases: [
      { input: '112', dial: '0112' },
      { input: '1120', dial: '1120' },
      { input: '99123', dial: '!the rules made ""' },
    ],
  },
];
