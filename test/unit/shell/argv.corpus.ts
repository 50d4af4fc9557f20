// Corpus of command lines the OS (or an attacker crafting a link or a shortcut) may hand us:
// the cold-start argv and a second instance's argv. Each row says what must happen: no link at
// all, a link that is dialled as `dial`, or a link refused with the parser's `reason`.
// A switch is never a link, a link is never a switch, and with a `--` separator only what
// follows it counts.

export type ArgvExpect = null | { dial: string } | { rejected: string };

export interface ArgvCase {
  title: string;
  argv: string[];
  expect: ArgvExpect;
}

const EXE = '/opt/Open Softphone/open-softphone';
const ELECTRON = '/work/node_modules/electron/dist/electron';
const WIN = 'C:\\Program Files\\Open Softphone\\Open Softphone.exe';

export const ARGV_CORPUS: ArgvCase[] = [
  // Ordinary starts and links.
  { title: 'plain start', argv: [EXE], expect: null },
  { title: 'dev start', argv: [ELECTRON, '.'], expect: null },
  { title: 'dev start with absolute app path', argv: [ELECTRON, '/work/app'], expect: null },
  {
    title: 'packaged link after --',
    argv: [EXE, '--', 'tel:+15550100'],
    expect: { dial: '+15550100' },
  },
  {
    title: 'dev link after --',
    argv: [ELECTRON, '/work/app', '--', 'tel:+1-555-0100'],
    expect: { dial: '+15550100' },
  },
  {
    title: 'link without separator (Linux desktop file %u)',
    argv: [EXE, 'tel:+4930123456'],
    expect: { dial: '+4930123456' },
  },
  {
    title: 'sip link',
    argv: [EXE, '--', 'sip:alice@example.com'],
    expect: { dial: 'sip:alice@example.com' },
  },
  {
    title: 'sips link',
    argv: [EXE, '--', 'sips:alice@example.com'],
    expect: { dial: 'sips:alice@example.com' },
  },
  { title: 'callto link', argv: [EXE, '--', 'callto:+15550100'], expect: { dial: '+15550100' } },
  {
    title: 'callto:// link',
    argv: [EXE, '--', 'callto://+15550100'],
    expect: { dial: '+15550100' },
  },
  { title: 'upper-case scheme', argv: [EXE, '--', 'TEL:+15550100'], expect: { dial: '+15550100' } },
  {
    title: 'mixed-case scheme',
    argv: [EXE, 'SiP:bob@lab.test'],
    expect: { dial: 'sip:bob@lab.test' },
  },
  {
    title: 'Windows path executable',
    argv: [WIN, '--', 'tel:+15550100'],
    expect: { dial: '+15550100' },
  },
  {
    title: 'Chromium appends switches after the link',
    argv: [EXE, 'tel:+15550100', '--original-process-start-time=13370000000000000'],
    expect: { dial: '+15550100' },
  },
  {
    title: 'Chromium moves its switches before the link',
    argv: [
      EXE,
      '--allow-file-access-from-files',
      '--original-process-start-time=1',
      'tel:+15550100',
    ],
    expect: { dial: '+15550100' },
  },
  {
    title: 'two links: the first wins',
    argv: [EXE, '--', 'tel:+15550100', 'tel:+15550199'],
    expect: { dial: '+15550100' },
  },
  {
    title: 'SIP URI headers are dropped, never injected',
    argv: [EXE, '--', 'sip:bob@example.com?Subject=hi&Call-Info=answer-after=0'],
    expect: { dial: 'sip:bob@example.com' },
  },
  {
    title: 'SIP URI parameters are dropped',
    argv: [EXE, '--', 'sip:bob@example.com;transport=tcp;maddr=evil.example'],
    expect: { dial: 'sip:bob@example.com' },
  },
  // Switches are never links.
  { title: 'gpu-launcher switch', argv: [EXE, '--gpu-launcher=x'], expect: null },
  {
    title: 'gpu-launcher switch with a command',
    argv: [EXE, '--gpu-launcher=calc.exe', '--no-sandbox'],
    expect: null,
  },
  {
    title: 'renderer-cmd-prefix',
    argv: [EXE, '--renderer-cmd-prefix=/bin/sh -c id'],
    expect: null,
  },
  { title: 'inspect switch', argv: [EXE, '--inspect=9229'], expect: null },
  { title: 'remote debugging switch', argv: [EXE, '--remote-debugging-port=9222'], expect: null },
  {
    title: 'single-dash switch',
    argv: [EXE, '-e', 'tel:+1'],
    expect: { rejected: 'not-a-number' },
  },
  { title: 'node-options style switch', argv: [EXE, '--require=/tmp/evil.js'], expect: null },
  {
    title: 'switch value that contains a link',
    argv: [EXE, '--proxy-server=tel:+15550100'],
    expect: null,
  },
  {
    title: 'switch then link: only the link',
    argv: [EXE, '--no-sandbox', '--', 'tel:+15550100'],
    expect: { dial: '+15550100' },
  },
  { title: 'Windows-style /switch', argv: [WIN, '/s', '/quiet'], expect: null },
  // Links that look like switches, or try to become one.
  {
    title: 'tel:--inspect',
    argv: [EXE, '--', 'tel:--inspect'],
    expect: { rejected: 'looks-like-a-switch' },
  },
  {
    title: 'tel:--inspect without separator',
    argv: [EXE, 'tel:--inspect'],
    expect: { rejected: 'looks-like-a-switch' },
  },
  {
    title: 'sip:--gpu-launcher',
    argv: [EXE, '--', 'sip:--gpu-launcher=x@h'],
    expect: { rejected: 'looks-like-a-switch' },
  },
  {
    title: 'callto:--switch',
    argv: [EXE, '--', 'callto:--no-sandbox'],
    expect: { rejected: 'looks-like-a-switch' },
  },
  {
    title: 'escaped dashes',
    argv: [EXE, '--', 'tel:%2D%2Dinspect'],
    expect: { rejected: 'looks-like-a-switch' },
  },
  {
    title: 'link with an embedded switch after a space',
    argv: [EXE, '--', 'tel:+15550100 --inspect'],
    expect: { rejected: 'invalid-characters' },
  },
  {
    title: 'link with a newline and a switch',
    argv: [EXE, '--', 'tel:+15550100\n--gpu-launcher=x'],
    expect: { rejected: 'control-characters' },
  },
  {
    title: 'link with a quote breaking out',
    argv: [EXE, '--', 'tel:+1555" --gpu-launcher="calc'],
    expect: { rejected: 'invalid-characters' },
  },
  // With a separator, only what follows it counts.
  {
    title: 'link before the separator is ignored',
    argv: [EXE, 'tel:+15550100', '--'],
    expect: null,
  },
  {
    title: 'link before and after the separator: after wins',
    argv: [EXE, 'tel:+15550100', '--', 'tel:+15550199'],
    expect: { dial: '+15550199' },
  },
  { title: 'separator then a switch only', argv: [EXE, '--', '--inspect'], expect: null },
  { title: 'separator then nothing', argv: [EXE, '--'], expect: null },
  // Not our schemes, or not links at all.
  { title: 'http URL', argv: [EXE, '--', 'https://evil.example/'], expect: null },
  { title: 'file URL', argv: [EXE, 'file:///etc/passwd'], expect: null },
  { title: 'javascript URL', argv: [EXE, 'javascript:alert(1)'], expect: null },
  { title: 'telnet is not tel', argv: [EXE, 'telnet://host'], expect: null },
  { title: 'sipx is not sip', argv: [EXE, 'sipx:alice@example.com'], expect: null },
  { title: 'skype is not ours', argv: [EXE, 'skype:echo123?call'], expect: null },
  { title: 'leading space before the scheme', argv: [EXE, ' tel:+15550100'], expect: null },
  { title: 'bare number', argv: [EXE, '+15550100'], expect: null },
  { title: 'a file path', argv: [EXE, '/home/user/contacts.vcf'], expect: null },
  { title: 'empty argument', argv: [EXE, ''], expect: null },
  // Our schemes with junk.
  { title: 'empty tel', argv: [EXE, '--', 'tel:'], expect: { rejected: 'empty' } },
  {
    title: 'letters in a number',
    argv: [EXE, '--', 'tel:+1-800-FLOWERS'],
    expect: { rejected: 'invalid-characters' },
  },
  {
    title: 'overlong link',
    argv: [EXE, '--', `tel:+${'1'.repeat(5000)}`],
    expect: { rejected: 'too-long' },
  },
  {
    title: 'bidi override',
    argv: [EXE, '--', 'tel:+1555\u202e0100'],
    expect: { rejected: 'control-characters' },
  },
  {
    title: 'callto skype name',
    argv: [EXE, '--', 'callto:echo123'],
    expect: { rejected: 'unsupported-callto' },
  },
  {
    title: 'sip without user',
    argv: [EXE, '--', 'sip:example.com'],
    expect: { rejected: 'bad-user' },
  },
];
