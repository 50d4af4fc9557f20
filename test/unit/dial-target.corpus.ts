// Owns the table of dial inputs and their exact expected parse results for dial-target.test.ts.
import { MAX_DIAL_INPUT } from '@shared/dial-target';
import type { DialRejectReason, DialScheme, DialTarget } from '@shared/dial-target';

/** A whole expected target for a success, or the reject reason for a failure. */
export type Expected = DialTarget | DialRejectReason;

/** One corpus row. */
export interface DialCase {
  input: string;
  expect: Expected;
}

/** A describe block: which parser the rows run through. */
export interface CaseGroup {
  title: string;
  parser: 'link' | 'typed';
  cases: DialCase[];
}

type Extra = Partial<Omit<DialTarget, 'kind' | 'dial' | 'display' | 'scheme'>>;

function num(scheme: DialScheme, dial: string, display: string, extra: Extra = {}): DialTarget {
  return { kind: 'number', dial, display, scheme, dropped: [], ...extra };
}

function addr(scheme: DialScheme, dial: string, display: string, extra: Extra = {}): DialTarget {
  return { kind: 'address', dial, display, scheme, dropped: [], ...extra };
}

/** Longest digit run after 'tel:+' that still fits in MAX_DIAL_INPUT. */
const FITS = MAX_DIAL_INPUT - 'tel:+'.length;

function row(input: string, expect: Expected): DialCase {
  return { input, expect };
}

const telGlobal: DialCase[] = [
  row('tel:+4930123456', num('tel', '+4930123456', '+4930123456')),
  row('tel:+49-30-123456', num('tel', '+4930123456', '+49 30 123456')),
  row('tel:+1-415-555-0100', num('tel', '+14155550100', '+1 415 555 0100')),
  row('tel:+1.415.555.0100', num('tel', '+14155550100', '+1 415 555 0100')),
  row('tel:+1(415)555-0100', num('tel', '+14155550100', '+1 415 555 0100')),
  row('tel:+44-20-7946-0958', num('tel', '+442079460958', '+44 20 7946 0958')),
  row('tel:+44(0)20-7946-0958', num('tel', '+442079460958', '+44 20 7946 0958')),
  row('tel:+49(0)30123456', num('tel', '+4930123456', '+49 30123456')),
  row('tel:+33-1-23-45-67-89', num('tel', '+33123456789', '+33 1 23 45 67 89')),
  row('tel:+81-3-1234-5678', num('tel', '+81312345678', '+81 3 1234 5678')),
  row('tel:+91-98765-43210', num('tel', '+919876543210', '+91 98765 43210')),
  row('tel:+86-10-1234-5678', num('tel', '+861012345678', '+86 10 1234 5678')),
  row('tel:+61-2-9876-5432', num('tel', '+61298765432', '+61 2 9876 5432')),
  row('tel:+7-495-123-45-67', num('tel', '+74951234567', '+7 495 123 45 67')),
  row('tel:+49%2030%20123456', num('tel', '+4930123456', '+49 30 123456')),
  row('tel:%2B4930123456', num('tel', '+4930123456', '+4930123456')),
  row('tel://+123', num('tel', '+123', '+123')),
  row('tel://+49-30-123456', num('tel', '+4930123456', '+49 30 123456')),
  row('TEL:+4930123456', num('tel', '+4930123456', '+4930123456')),
  row('Tel:+4930123456', num('tel', '+4930123456', '+4930123456')),
  row('  tel:+4930123456  ', num('tel', '+4930123456', '+4930123456')),
  row('tel:+123456789012345', num('tel', '+123456789012345', '+123456789012345')),
  row('tel:+', 'not-a-number'),
  row('tel:++1', 'not-a-number'),
  row('tel:+1-', 'not-a-number'),
  row('tel:+12', 'not-a-number'),
  row('tel:+1234567890123456', 'not-a-number'),
  row('tel:+1-555-0100+1', 'not-a-number'),
  row('tel:+49-30-ABC', 'invalid-characters'),
  row('tel:+1*23', 'invalid-characters'),
  row('tel:+49/30/123', 'invalid-characters'),
  row('tel:+1555?body=x', 'invalid-characters'),
  row('TEL:+1 555', num('tel', '+1555', '+1 555')),
];

const telLocal: DialCase[] = [
  row('tel:0301234567', num('tel', '0301234567', '0301234567')),
  row('tel:030-1234567', num('tel', '0301234567', '030 1234567')),
  row('tel:(030)123-45-67', num('tel', '0301234567', '030 123 45 67')),
  row('tel:(0)30-1234', num('tel', '0301234', '0 30 1234')),
  row('tel:*97', num('tel', '*97', '*97')),
  row('tel:%2A97', num('tel', '*97', '*97')),
  row('tel:%2331%23', num('tel', '#31#', '#31#')),
  row('tel:#31#0301234', num('tel', '0301234', '#31# 0301234', { callerId: 'hidden' })),
  row('tel:*31#030-1234', num('tel', '0301234', '*31# 030 1234', { callerId: 'shown' })),
  row('tel:12ab', num('tel', '12AB', '12AB')),
  row('tel:1-2-C-D', num('tel', '12CD', '1 2 C D')),
  row(`tel:${'1'.repeat(32)}`, num('tel', '1'.repeat(32), '1'.repeat(32))),
  row(`tel:${'1'.repeat(33)}`, 'not-a-number'),
  row('tel:*', 'not-a-number'),
  row('tel:ABCD', 'not-a-number'),
  row('tel:12E4', 'invalid-characters'),
  row('tel:1-800-FLOWERS', 'invalid-characters'),
  row('tel:0301234567@example.com', 'invalid-characters'),
];

const telParams: DialCase[] = [
  row('tel:+1-555-0100;ext=1234', num('tel', '+15550100', '+1 555 0100', { extension: '1234' })),
  row('tel:+1-555-0100;EXT=12-34', num('tel', '+15550100', '+1 555 0100', { extension: '1234' })),
  row('tel:+15550100;ext=12%2034', num('tel', '+15550100', '+15550100', { extension: '1234' })),
  row('tel:+15550100;isub=1411', num('tel', '+15550100', '+15550100', { isdnSubaddress: '1411' })),
  row(
    'tel:+15550100;isub=12ab;ext=7',
    num('tel', '+15550100', '+15550100', { isdnSubaddress: '12ab', extension: '7' }),
  ),
  row(
    'tel:1234;phone-context=example.com',
    num('tel', '1234', '1234', { phoneContext: 'example.com' }),
  ),
  row(
    'tel:1234;phone-context=PBX.Example.COM',
    num('tel', '1234', '1234', { phoneContext: 'pbx.example.com' }),
  ),
  row('tel:1234;phone-context=+1-555', num('tel', '1234', '1234', { phoneContext: '+1555' })),
  row('tel:1234;phone-context=%2B49', num('tel', '1234', '1234', { phoneContext: '+49' })),
  row(
    'tel:7042;ext=22;phone-context=+49-30',
    num('tel', '7042', '7042', { extension: '22', phoneContext: '+4930' }),
  ),
  row(
    'tel:+15550100;tgrp=tg1;trunk-context=example.com',
    num('tel', '+15550100', '+15550100', {
      dropped: ['URI parameter "tgrp"', 'URI parameter "trunk-context"'],
    }),
  ),
  row(
    'tel:+15550100;npdi;rn=+15551234',
    num('tel', '+15550100', '+15550100', {
      dropped: ['URI parameter "npdi"', 'URI parameter "rn"'],
    }),
  ),
  row('tel:1234;phone-context=exa_mple.com', 'bad-parameter'),
  row('tel:1234;phone-context=+', 'bad-parameter'),
  row('tel:+15550100;phone-context=+1', 'bad-parameter'),
  row('tel:+15550100;ext=12;ext=13', 'bad-parameter'),
  row('tel:+15550100;Ext=1;ext=2', 'bad-parameter'),
  row('tel:+15550100;ext=', 'bad-parameter'),
  row('tel:+15550100;ext', 'bad-parameter'),
  row('tel:+15550100;ext=12a', 'bad-parameter'),
  row('tel:+15550100;', 'bad-parameter'),
  row('tel:+15550100;;ext=1', 'bad-parameter'),
  row('tel:+15550100;fo_o=1', 'bad-parameter'),
  row('tel:+15550100;x=a,b', 'bad-parameter'),
  row('tel:+15550100;isub=%C3%A9', 'bad-parameter'),
  row('tel:;ext=1', 'not-a-number'),
];

const sipValid: DialCase[] = [
  row('sip:alice@example.com', addr('sip', 'sip:alice@example.com', 'alice@example.com')),
  row('sips:alice@example.com', addr('sips', 'sips:alice@example.com', 'alice@example.com')),
  row('SIP:Alice@Example.COM', addr('sip', 'sip:Alice@example.com', 'Alice@example.com')),
  row('SIPS:Bob@PBX.example.org', addr('sips', 'sips:Bob@pbx.example.org', 'Bob@pbx.example.org')),
  row(
    'sip:alice@example.com:5060',
    addr('sip', 'sip:alice@example.com:5060', 'alice@example.com:5060'),
  ),
  row(
    'sip:alice@example.com:65535',
    addr('sip', 'sip:alice@example.com:65535', 'alice@example.com:65535'),
  ),
  row('sips:bob@pbx:5061', addr('sips', 'sips:bob@pbx:5061', 'bob@pbx:5061')),
  row('sip:bob@localhost', addr('sip', 'sip:bob@localhost', 'bob@localhost')),
  row('sip:bob@192.0.2.10', addr('sip', 'sip:bob@192.0.2.10', 'bob@192.0.2.10')),
  row('sip:bob@192.0.2.10:5070', addr('sip', 'sip:bob@192.0.2.10:5070', 'bob@192.0.2.10:5070')),
  row('sip:bob@0.0.0.0', addr('sip', 'sip:bob@0.0.0.0', 'bob@0.0.0.0')),
  row('sip:bob@[2001:db8::1]', addr('sip', 'sip:bob@[2001:db8::1]', 'bob@[2001:db8::1]')),
  row(
    'sip:bob@[2001:DB8::1]:5061',
    addr('sip', 'sip:bob@[2001:db8::1]:5061', 'bob@[2001:db8::1]:5061'),
  ),
  row(
    'sip:bob@[2001:db8:0:0:0:0:0:1]',
    addr('sip', 'sip:bob@[2001:db8:0:0:0:0:0:1]', 'bob@[2001:db8:0:0:0:0:0:1]'),
  ),
  row(
    'sip:bob@[::ffff:192.0.2.1]',
    addr('sip', 'sip:bob@[::ffff:192.0.2.1]', 'bob@[::ffff:192.0.2.1]'),
  ),
  row('sip:bob@[::1]', addr('sip', 'sip:bob@[::1]', 'bob@[::1]')),
  row('sip://alice@example.com', addr('sip', 'sip:alice@example.com', 'alice@example.com')),
  row('sip:alice@example.com.', addr('sip', 'sip:alice@example.com.', 'alice@example.com.')),
  row('sip:alice@1und1.de', addr('sip', 'sip:alice@1und1.de', 'alice@1und1.de')),
  row(
    'sip:alice@xn--exmple-cua.com',
    addr('sip', 'sip:alice@xn--exmple-cua.com', 'alice@xn--exmple-cua.com'),
  ),
  row('sip:*97@pbx.example.com', addr('sip', 'sip:*97@pbx.example.com', '*97@pbx.example.com')),
  row(
    'sip:+4930123@pbx.example.com',
    addr('sip', 'sip:+4930123@pbx.example.com', '+4930123@pbx.example.com'),
  ),
  row(
    'sip:john.doe_1-x@example.com',
    addr('sip', 'sip:john.doe_1-x@example.com', 'john.doe_1-x@example.com'),
  ),
];

const sipStripped: DialCase[] = [
  row(
    'sip:alice@example.com;transport=tcp',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI parameter "transport"'],
    }),
  ),
  row(
    'sips:alice@example.com:5061;transport=tls',
    addr('sips', 'sips:alice@example.com:5061', 'alice@example.com:5061', {
      dropped: ['URI parameter "transport"'],
    }),
  ),
  row(
    'sip:alice@example.com;maddr=evil.example;lr;method=INVITE;ttl=1',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: [
        'URI parameter "maddr"',
        'URI parameter "lr"',
        'URI parameter "method"',
        'URI parameter "ttl"',
      ],
    }),
  ),
  row(
    'sip:+4930123@pbx.example.com;user=phone',
    addr('sip', 'sip:+4930123@pbx.example.com;user=phone', '+4930123@pbx.example.com'),
  ),
  row(
    'sip:bob@[2001:db8::1]:5070;transport=udp',
    addr('sip', 'sip:bob@[2001:db8::1]:5070', 'bob@[2001:db8::1]:5070', {
      dropped: ['URI parameter "transport"'],
    }),
  ),
  row(
    'sip:alice@example.com?Subject=hi&Call-Info=%3Chttp://x%3E;answer-after=0',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI header "Subject"', 'URI header "Call-Info"'],
    }),
  ),
  row(
    'sip:alice@example.com?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI header "Replaces"'],
    }),
  ),
  row(
    'sip:alice@example.com?Route=%3Csip:evil.example;lr%3E',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', { dropped: ['URI header "Route"'] }),
  ),
  row(
    'sip:alice@example.com?%53ubject=x',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI header "Subject"'],
    }),
  ),
  row('sip:alice@example.com?', addr('sip', 'sip:alice@example.com', 'alice@example.com')),
  row(
    'sip:alice:secret@example.com',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['password in userinfo'],
    }),
  ),
  row(
    'sip:alice:@example.com',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['password in userinfo'],
    }),
  ),
  row(
    'sip:alice:secret@example.com:5060;transport=tls?Subject=x',
    addr('sip', 'sip:alice@example.com:5060', 'alice@example.com:5060', {
      dropped: ['password in userinfo', 'URI parameter "transport"', 'URI header "Subject"'],
    }),
  ),
  row(
    `sip:alice@example.com;${'p'.repeat(50)}=1`,
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: [`URI parameter "${'p'.repeat(40)}…"`],
    }),
  ),
];

const sipEscapes: DialCase[] = [
  row('sip:%61lice@example.com', addr('sip', 'sip:alice@example.com', 'alice@example.com')),
  row('sip:al%69ce@example.com', addr('sip', 'sip:alice@example.com', 'alice@example.com')),
  row('sip:%2A97@example.com', addr('sip', 'sip:*97@example.com', '*97@example.com')),
  row(
    'sip:%2B4930123@example.com',
    addr('sip', 'sip:+4930123@example.com', '+4930123@example.com'),
  ),
  row('sip:%23%31@example.com', addr('sip', 'sip:%231@example.com', '#1@example.com')),
  row('sip:a%3Ab@example.com', addr('sip', 'sip:a%3Ab@example.com', 'a:b@example.com')),
  row('sip:a%3fb@example.com', addr('sip', 'sip:a%3Fb@example.com', 'a?b@example.com')),
  row('sip:a%25b@example.com', addr('sip', 'sip:a%25b@example.com', 'a%b@example.com')),
  row(
    'sip:+1;phone-context=x@example.com',
    addr('sip', 'sip:+1%3Bphone-context=x@example.com', '+1;phone-context=x@example.com'),
  ),
  row('sip:a%22b@example.com', addr('sip', 'sip:a%22b@example.com', 'a"b@example.com')),
  row('sip:john%20doe@example.com', 'bad-user'),
  row('sip:a%40evil.example@example.com', 'bad-user'),
  row('sip:alice?x=1@example.com', 'bad-user'),
  row('sip:a#b@example.com', 'bad-user'),
  row('sip:%C3%A9@example.com', 'non-ascii'),
  row('sip:%D0%B0lice@example.com', 'non-ascii'),
  row('sip:%0D%0A@example.com', 'control-characters'),
];

const sipInvalid: DialCase[] = [
  row('sip:example.com', 'bad-user'),
  row('sip:pbx', 'bad-user'),
  row('sip:@example.com', 'bad-user'),
  row('sip::pw@example.com', 'bad-user'),
  row('sip:alice@', 'bad-host'),
  row('sip:alice@exa_mple.com', 'bad-host'),
  row('sip:alice@-example.com', 'bad-host'),
  row('sip:alice@example-.com', 'bad-host'),
  row('sip:alice@example..com', 'bad-host'),
  row(`sip:alice@${'a'.repeat(64)}.com`, 'bad-host'),
  row(`sip:alice@${Array.from({ length: 64 }, () => 'abc').join('.')}`, 'bad-host'),
  row('sip:alice@example.123', 'bad-host'),
  row('sip:alice@%65xample.com', 'bad-host'),
  row('sip:alice@%D0%B5xample.com', 'bad-host'),
  row('sip:alice@example.com:0', 'bad-host'),
  row('sip:alice@example.com:65536', 'bad-host'),
  row('sip:alice@example.com:', 'bad-host'),
  row('sip:alice@example.com:50a', 'bad-host'),
  row('sip:alice@example.com:5060:5060', 'bad-host'),
  row('sip:alice@256.1.1.1', 'bad-host'),
  row('sip:alice@01.2.3.4', 'bad-host'),
  row('sip:alice@1.2.3', 'bad-host'),
  row('sip:alice@[2001:db8::1', 'bad-host'),
  row('sip:alice@[2001:db8:::1]', 'bad-host'),
  row('sip:alice@[1:2:3:4:5:6:7:8:9]', 'bad-host'),
  row('sip:alice@[1:2:3:4:5:6:7]', 'bad-host'),
  row('sip:alice@[1.2.3.4::]', 'bad-host'),
  row('sip:alice@[fe80::1%25eth0]', 'bad-host'),
  row('sip:alice@[::1]x', 'bad-host'),
  row('sip:alice@[example.com]', 'bad-host'),
  row('sip:alice@b@example.com', 'bad-host'),
  row('sip:alice@example.com#x', 'bad-host'),
  row('sip:alice@example.com;', 'bad-parameter'),
  row('sip:alice@example.com;=x', 'bad-parameter'),
  row('sip:alice@example.com;a=', 'bad-parameter'),
  row('sip:alice@example.com;a=b,c', 'bad-parameter'),
  row('sip:alice@example.com?Subject', 'bad-parameter'),
  row('sip:alice@example.com?=x', 'bad-parameter'),
  row('sip:alice@ехample.com', 'non-ascii'),
  row('sip:alice@exαmple.com', 'non-ascii'),
  row('sip:alice smith@example.com', 'invalid-characters'),
  row('sip:"alice"@example.com', 'invalid-characters'),
  row('sip:<alice@example.com>', 'invalid-characters'),
  row('sip:alice@example.com|x', 'invalid-characters'),
  row('"Bob" <sip:bob@example.com>', 'unknown-scheme'),
];

const callto: DialCase[] = [
  row('callto:+4930123456', num('callto', '+4930123456', '+4930123456')),
  row('callto://+4930123456', num('callto', '+4930123456', '+4930123456')),
  row('CALLTO:+4930123456', num('callto', '+4930123456', '+4930123456')),
  row('callto:0301234567', num('callto', '0301234567', '0301234567')),
  row('callto://+1-555-0100', num('callto', '+15550100', '+1 555 0100')),
  row('callto:+1%20555%200100', num('callto', '+15550100', '+1 555 0100')),
  row('callto:+15550100;ext=12', num('callto', '+15550100', '+15550100', { extension: '12' })),
  row(
    'callto://+15550100?call',
    num('callto', '+15550100', '+15550100', { dropped: ['URI query "call"'] }),
  ),
  row(
    'callto:+15550100?call&video=1',
    num('callto', '+15550100', '+15550100', { dropped: ['URI query "call"', 'URI query "video"'] }),
  ),
  row('callto://alice@example.com', addr('callto', 'sip:alice@example.com', 'alice@example.com')),
  row(
    'callto:alice@example.com;transport=tcp?call',
    addr('callto', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI parameter "transport"', 'URI query "call"'],
    }),
  ),
  row('callto://someskypename', 'unsupported-callto'),
  row('callto:echo123', 'unsupported-callto'),
  row('callto:abc', 'unsupported-callto'),
  row('callto://echo123?call', 'unsupported-callto'),
  row('callto:+1555abc', 'unsupported-callto'),
  row('callto:', 'empty'),
  row('callto://', 'empty'),
  row('callto:?call', 'empty'),
  row('callto:++1', 'not-a-number'),
  row('callto:--inspect', 'looks-like-a-switch'),
  row('callto://alice@exa_mple.com', 'bad-host'),
];

const hostileLinks: DialCase[] = [
  row('tel:+1%0D%0ASubject:%20x', 'control-characters'),
  row('sip:alice@example.com?Subject=x%0D%0AVia:%20evil', 'control-characters'),
  row('sip:alice@example.com\r\nVia: evil', 'control-characters'),
  row('tel:+15550100\n', 'control-characters'),
  row('tel:+1%00', 'control-characters'),
  row('tel:+1\u0000', 'control-characters'),
  row('tel:+1\u007f', 'control-characters'),
  row('tel:+1\u0085', 'control-characters'),
  row('tel:+1%C2%85', 'control-characters'),
  row('tel:+1\u202e0010', 'control-characters'),
  row('tel:+1%E2%80%AE555', 'control-characters'),
  row('tel:+49\u200d30123', 'control-characters'),
  row('tel:+1%E2%80%8B555', 'control-characters'),
  row('\ufefftel:+15550100', 'control-characters'),
  row('tel:+1555\u2028', 'control-characters'),
  row('tel:+1555\u2066', 'control-characters'),
  row('--inspect=9229', 'looks-like-a-switch'),
  row('-e', 'looks-like-a-switch'),
  row(' --no-sandbox', 'looks-like-a-switch'),
  row('--gpu-launcher=/bin/sh', 'looks-like-a-switch'),
  row('tel:--no-sandbox', 'looks-like-a-switch'),
  row('tel://--inspect', 'looks-like-a-switch'),
  row('tel:%2D%2Dinspect', 'looks-like-a-switch'),
  row('sip:--inspect@example.com', 'looks-like-a-switch'),
  row('sip:%2D-x@example.com', 'looks-like-a-switch'),
  row('javascript:alert(1)', 'unknown-scheme'),
  row('file:///etc/passwd', 'unknown-scheme'),
  row('http://example.com/tel:+1', 'unknown-scheme'),
  row('skype:echo123?call', 'unknown-scheme'),
  row('facetime:+15550100', 'unknown-scheme'),
  row('tel+x:+15550100', 'unknown-scheme'),
  row('+4930123456', 'unknown-scheme'),
  row('alice@example.com', 'unknown-scheme'),
  row('x'.repeat(3000), 'too-long'),
  row(`tel:+${'1'.repeat(FITS)}`, 'not-a-number'),
  row(`tel:+${'1'.repeat(FITS + 1)}`, 'too-long'),
  row('tel:＋４９３０１２３', 'non-ascii'),
  row('tel:+４９３０１２３', 'non-ascii'),
  row('tel:％2B15550100', 'non-ascii'),
  row('tel:+1555😀', 'non-ascii'),
  row('tel:+1\ud800555', 'non-ascii'),
  row('tel:+1%F0%9F%98%80', 'non-ascii'),
  row('tel:%252B15550100', 'invalid-characters'),
  row('tel:+1%C3%28', 'bad-escape'),
  row('tel:+1%C0%AF', 'bad-escape'),
  row('tel:+1%E0%80%AF', 'bad-escape'),
  row('tel:+1%ED%A0%80', 'bad-escape'),
  row('tel:+1%F4%90%80%80', 'bad-escape'),
  row('tel:+1%', 'bad-escape'),
  row('tel:+1%2', 'bad-escape'),
  row('tel:+1%zz', 'bad-escape'),
  row('', 'empty'),
  row('   ', 'empty'),
  row('tel:', 'empty'),
  row('sip:', 'empty'),
  row('tel://', 'empty'),
  row('tel:+1<script>', 'invalid-characters'),
];

const typedNumbers: DialCase[] = [
  row('+49 30 123456', num('typed', '+4930123456', '+49 30 123456')),
  row('+49 (0)30 1234567', num('typed', '+49301234567', '+49 30 1234567')),
  row('+44 (0)20 7946 0958', num('typed', '+442079460958', '+44 20 7946 0958')),
  row('(030) 123-45 67', num('typed', '0301234567', '030 123 45 67')),
  row('+1.415.555.0100', num('typed', '+14155550100', '+1 415 555 0100')),
  row('+1 (415) 555-0100', num('typed', '+14155550100', '+1 415 555 0100')),
  row('(415) 555-0100', num('typed', '4155550100', '415 555 0100')),
  row('415.555.0100', num('typed', '4155550100', '415 555 0100')),
  row('1-800-555-0199', num('typed', '18005550199', '1 800 555 0199')),
  row('030/1234567', num('typed', '0301234567', '030 1234567')),
  row('020 7946 0958', num('typed', '02079460958', '020 7946 0958')),
  row('+33 1 23 45 67 89', num('typed', '+33123456789', '+33 1 23 45 67 89')),
  row('01 23 45 67 89', num('typed', '0123456789', '01 23 45 67 89')),
  row('+81 3-1234-5678', num('typed', '+81312345678', '+81 3 1234 5678')),
  row('03-1234-5678', num('typed', '0312345678', '03 1234 5678')),
  row('+91 98765 43210', num('typed', '+919876543210', '+91 98765 43210')),
  row('098765 43210', num('typed', '09876543210', '098765 43210')),
  row('+86 10 1234 5678', num('typed', '+861012345678', '+86 10 1234 5678')),
  row('+4930123456', num('typed', '+4930123456', '+4930123456')),
  row('  +49 30 123456  ', num('typed', '+4930123456', '+49 30 123456')),
  row('\t+49 30 123456\r\n', num('typed', '+4930123456', '+49 30 123456')),
  row('+49  30 -- 123456', num('typed', '+4930123456', '+49 30 123456')),
  row('+49\u00a030\u00a0123456', num('typed', '+4930123456', '+49 30 123456')),
  row('+49\u200930\u2009123456', num('typed', '+4930123456', '+49 30 123456')),
  row('+49\u202f30\u202f123456', num('typed', '+4930123456', '+49 30 123456')),
  row('030\u20131234567', num('typed', '0301234567', '030 1234567')),
  row('030\u22121234567', num('typed', '0301234567', '030 1234567')),
  row('030\u20101234567', num('typed', '0301234567', '030 1234567')),
  row('＋４９ ３０ １２３４５６', num('typed', '+4930123456', '+49 30 123456')),
  row('０３０１２３４５６７', num('typed', '0301234567', '0301234567')),
  row('1001', num('typed', '1001', '1001')),
  row('*97', num('typed', '*97', '*97')),
  row('#31#', num('typed', '#31#', '#31#')),
  row('*31#030 1234567', num('typed', '0301234567', '*31# 030 1234567', { callerId: 'shown' })),
  row('+1 555 0100 x123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('+1 555 0100 X 12', num('typed', '+15550100', '+1 555 0100', { extension: '12' })),
  row('+1 555 0100 ext. 123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('+1 555 0100 ext123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('+1 555 0100,,123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('+1 555 0100p123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('+1 555 0100w123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('+1 555 0100;123', num('typed', '+15550100', '+1 555 0100', { extension: '123' })),
  row('(030) 1234-0,5', num('typed', '03012340', '030 1234 0', { extension: '5' })),
  row('+', 'not-a-number'),
  row('++1', 'not-a-number'),
  row('+1-', 'not-a-number'),
  row('+12', 'not-a-number'),
  row('+1234567890123456', 'not-a-number'),
  row('()', 'not-a-number'),
  row('1-800-FLOWERS', 'not-a-number'),
  row('+1 800 FLOWERS', 'not-a-number'),
  row('030 1234 x', 'not-a-number'),
  row('030 1234 ext=12', 'not-a-number'),
  row('030\u200b1234', 'control-characters'),
  row('030\t1234', 'control-characters'),
  row('+49\u202e30123', 'control-characters'),
  row('030 1234 😀', 'non-ascii'),
  row('030 1234 ％', 'non-ascii'),
  row('\ud800123', 'invalid-characters'),
  row('123\udc00', 'invalid-characters'),
  row('-e', 'looks-like-a-switch'),
  row('--inspect=9229', 'looks-like-a-switch'),
  row(' \n', 'empty'),
  row('', 'empty'),
  row('1'.repeat(3000), 'too-long'),
];

const typedAddresses: DialCase[] = [
  row('alice', addr('typed', 'alice', 'alice')),
  row('reception', addr('typed', 'reception', 'reception')),
  row('john.doe', addr('typed', 'john.doe', 'john.doe')),
  row('sales-team', addr('typed', 'sales-team', 'sales-team')),
  row('x12', addr('typed', 'x12', 'x12')),
  row('alice@example.com', addr('typed', 'sip:alice@example.com', 'alice@example.com')),
  row('Alice@Example.COM', addr('typed', 'sip:Alice@example.com', 'Alice@example.com')),
  row('al%69ce@example.com', addr('typed', 'sip:alice@example.com', 'alice@example.com')),
  row(
    'alice@example.com:5070',
    addr('typed', 'sip:alice@example.com:5070', 'alice@example.com:5070'),
  ),
  row('alice@[2001:db8::1]', addr('typed', 'sip:alice@[2001:db8::1]', 'alice@[2001:db8::1]')),
  row(
    'alice@192.0.2.1;transport=tcp',
    addr('typed', 'sip:alice@192.0.2.1', 'alice@192.0.2.1', {
      dropped: ['URI parameter "transport"'],
    }),
  ),
  row(
    'alice@example.com?Subject=hi',
    addr('typed', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI header "Subject"'],
    }),
  ),
  row('sip:alice@example.com', addr('sip', 'sip:alice@example.com', 'alice@example.com')),
  row(' sips:alice@example.com\n', addr('sips', 'sips:alice@example.com', 'alice@example.com')),
  row('tel:+4930123456', num('tel', '+4930123456', '+4930123456')),
  row('callto:+4930123456', num('callto', '+4930123456', '+4930123456')),
  row(
    '"Bob" <sip:bob@example.com>',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', { name: 'Bob' }),
  ),
  row(
    'Bob  Smith <sip:bob@example.com>',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', { name: 'Bob Smith' }),
  ),
  row(
    '"Smith, Bob \\"B\\"" <sip:bob@example.com>',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', { name: 'Smith, Bob "B"' }),
  ),
  row('<sip:bob@example.com>', addr('sip', 'sip:bob@example.com', 'bob@example.com')),
  row('"" <sip:bob@example.com>', addr('sip', 'sip:bob@example.com', 'bob@example.com')),
  row(
    '"Bob" <bob@example.com>',
    addr('typed', 'sip:bob@example.com', 'bob@example.com', { name: 'Bob' }),
  ),
  row('"Bob" < bob >', addr('typed', 'bob', 'bob', { name: 'Bob' })),
  row('"Bob" <tel:+15550100>', num('tel', '+15550100', '+15550100', { name: 'Bob' })),
  row(
    '"Bob" <sip:bob@example.com>;tag=abc',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      name: 'Bob',
      dropped: ['name-addr parameter "tag"'],
    }),
  ),
  row(
    '"Bob" <sip:bob@example.com;transport=tcp?Subject=x>',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      name: 'Bob',
      dropped: ['URI parameter "transport"', 'URI header "Subject"'],
    }),
  ),
  row(
    '"Bjørn" <sip:bjorn@example.com>',
    addr('sip', 'sip:bjorn@example.com', 'bjorn@example.com', { name: 'Bjørn' }),
  ),
  row('"Bob <sip:bob@example.com>', 'invalid-characters'),
  row('"Bob" sip:bob@example.com>', 'invalid-characters'),
  row('<sip:bob@example.com', 'invalid-characters'),
  row('a <b <sip:x@example.com>>', 'invalid-characters'),
  row('"Bob" <sip:bob@example.com> junk', 'invalid-characters'),
  row('"Bob" <sip:bob@example.com>;=x', 'bad-parameter'),
  row('"Bob" <>', 'empty'),
  row('"Bob" <javascript:alert(1)>', 'unknown-scheme'),
  row('"Bob" <--inspect>', 'looks-like-a-switch'),
  row('alice@ехample.com', 'bad-host'),
  row('alice@exαmple.com', 'bad-host'),
  row('alice@\u212aamailio.org', 'bad-host'),
  row('alice@example.com@evil.example', 'bad-host'),
  row('alice@', 'bad-host'),
  row('@example.com', 'bad-user'),
  row('alice smith@example.com', 'bad-user'),
  row('аlice', 'non-ascii'),
  row('аlice@example.com', 'non-ascii'),
  row('bjørn@example.com', 'non-ascii'),
  row('alice😀', 'non-ascii'),
  row('alice smith', 'invalid-characters'),
  row('alice%0A@example.com', 'control-characters'),
  row('100%@example.com', 'bad-escape'),
  row('example.com:5060', 'unknown-scheme'),
  row('alice:secret@example.com', 'unknown-scheme'),
  row('http://example.com', 'unknown-scheme'),
  row('javascript:alert(1)', 'unknown-scheme'),
  row('skype:echo123', 'unknown-scheme'),
  row('callto:echo123', 'unsupported-callto'),
  row('TEL:+1 555', num('tel', '+1555', '+1 555')),
  row('sip:alice@ехample.com', 'non-ascii'),
  row('tel:＋１５５５０１００', 'non-ascii'),
  row('sip:pbx.example.com', 'bad-user'),
];

// Issue 13: links as apps pass them. Spaces between the digits of a tel:/callto: number (what
// web pages write and browsers hand over), the GSM caller-ID prefixes, and ';user=phone' kept
// for gateways; none of it loosens the rules above (spaces stay refused anywhere else).
const linksAsAppsPassThem: DialCase[] = [
  row('tel:+49 30 123456', num('tel', '+4930123456', '+49 30 123456')),
  row('tel:+1 (415) 555-0100', num('tel', '+14155550100', '+1 415 555 0100')),
  row('tel:+44 (0)20 7946 0958', num('tel', '+442079460958', '+44 20 7946 0958')),
  row('tel:030 123 45 67', num('tel', '0301234567', '030 123 45 67')),
  row('tel:  +49 30 123456', num('tel', '+4930123456', '+49 30 123456')),
  row('tel:+49  30   123456', num('tel', '+4930123456', '+49 30 123456')),
  row('tel:+1 555 0100;ext=12', num('tel', '+15550100', '+1 555 0100', { extension: '12' })),
  row('callto:+1 555 0100', num('callto', '+15550100', '+1 555 0100')),
  row('tel:+1 555;ext=1 2', 'invalid-characters'),
  row('tel:+1 555?x=1 2', 'invalid-characters'),
  row('tel:+1 --inspect', 'invalid-characters'),
  row('tel: --inspect', 'looks-like-a-switch'),
  row('tel:+1 555 ABC', 'invalid-characters'),
  row('tel:+1 555', 'non-ascii'),
  row('tel:+1	555', 'control-characters'),
  row('sip:bob smith@example.com', 'invalid-characters'),
  row('sip:bob@example.com ;user=phone', 'invalid-characters'),
  row('callto:bob smith@example.com', 'bad-user'),
  row('tel:#31#+4930123456', num('tel', '+4930123456', '#31# +4930123456', { callerId: 'hidden' })),
  row(
    'tel:#31# +49 30 123456',
    num('tel', '+4930123456', '#31# +49 30 123456', { callerId: 'hidden' }),
  ),
  row(
    'tel:%2331%23%2B4930123456',
    num('tel', '+4930123456', '#31# +4930123456', { callerId: 'hidden' }),
  ),
  row('tel:*31#+4930123456', num('tel', '+4930123456', '*31# +4930123456', { callerId: 'shown' })),
  row(
    'tel:#31#0301234;ext=5',
    num('tel', '0301234', '#31# 0301234', { callerId: 'hidden', extension: '5' }),
  ),
  row('callto:#31#+15550100', num('callto', '+15550100', '#31# +15550100', { callerId: 'hidden' })),
  row('tel:#31#', num('tel', '#31#', '#31#')),
  row('tel:#31#+12', 'not-a-number'),
  row('tel:#31#+1-555-ABC', 'invalid-characters'),
  row('tel:#31#--inspect', 'invalid-characters'),
  row('tel:#31#%0A123', 'control-characters'),
  row(
    'sip:+4930123@gw.example.com;user=phone;maddr=evil.example',
    addr('sip', 'sip:+4930123@gw.example.com;user=phone', '+4930123@gw.example.com', {
      dropped: ['URI parameter "maddr"'],
    }),
  ),
  row(
    'sip:0301234@gw.example.com;USER=Phone',
    addr('sip', 'sip:0301234@gw.example.com;user=phone', '0301234@gw.example.com'),
  ),
  row(
    'sips:+1-555-0100@gw.example.com:5061;user=phone',
    addr(
      'sips',
      'sips:+1-555-0100@gw.example.com:5061;user=phone',
      '+1-555-0100@gw.example.com:5061',
    ),
  ),
  row(
    'sip:%2A97@gw.example.com;user=phone',
    addr('sip', 'sip:*97@gw.example.com;user=phone', '*97@gw.example.com'),
  ),
  row(
    'sip:alice@example.com;user=phone',
    addr('sip', 'sip:alice@example.com', 'alice@example.com', {
      dropped: ['URI parameter "user"'],
    }),
  ),
  row(
    'sip:+4930123@gw.example.com;user=ip',
    addr('sip', 'sip:+4930123@gw.example.com', '+4930123@gw.example.com', {
      dropped: ['URI parameter "user"'],
    }),
  ),
  row(
    'sip:+4930123@gw.example.com;user=phone?Subject=x',
    addr('sip', 'sip:+4930123@gw.example.com;user=phone', '+4930123@gw.example.com', {
      dropped: ['URI header "Subject"'],
    }),
  ),
  row('sip:+4930123@gw.example.com;user=phone%0D%0AVia:x', 'control-characters'),
];

const typedAsPeopleWriteThem: DialCase[] = [
  row(
    '#31#+49 30 123456',
    num('typed', '+4930123456', '#31# +49 30 123456', { callerId: 'hidden' }),
  ),
  row('#31# 030 1234567', num('typed', '0301234567', '#31# 030 1234567', { callerId: 'hidden' })),
  row('#31#0301234567', num('typed', '0301234567', '#31# 0301234567', { callerId: 'hidden' })),
  row(
    '#31#+1 555 0100 x12',
    num('typed', '+15550100', '#31# +1 555 0100', { callerId: 'hidden', extension: '12' }),
  ),
  row('*31#+4930123456', num('typed', '+4930123456', '*31# +4930123456', { callerId: 'shown' })),
  row('#31#alice', 'not-a-number'),
  row('#31#', num('typed', '#31#', '#31#')),
  row(
    '<sip:+4930123@gw.example.com;user=phone>',
    addr('sip', 'sip:+4930123@gw.example.com;user=phone', '+4930123@gw.example.com'),
  ),
  row(
    'sip:+4930123@gw.example.com;user=phone',
    addr('sip', 'sip:+4930123@gw.example.com;user=phone', '+4930123@gw.example.com'),
  ),
  row('tel:+49 30 123456', num('tel', '+4930123456', '+49 30 123456')),
];

// A sip: link's ?body= is kept as an inert message draft (issue 14); every other header is dropped.
const sipBody: DialCase[] = [
  row(
    'sip:bob@example.com?body=Hello%20Bob',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', { body: 'Hello Bob' }),
  ),
  row(
    'sip:bob@example.com?Subject=x&BODY=see%20you%0D%0Aat%20noon%20%F0%9F%91%8B&Call-Info=y',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      body: 'see you\nat noon 👋',
      dropped: ['URI header "Subject"', 'URI header "Call-Info"'],
    }),
  ),
  row(
    'sips:bob@example.com?body=%D7%A9%D7%9C%D7%95%D7%9D%09ok',
    addr('sips', 'sips:bob@example.com', 'bob@example.com', { body: 'שלום\tok' }),
  ),
  row(
    'sip:bob@example.com?body=%3Cscript%3Ealert(1)%3C/script%3E',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', { body: '<script>alert(1)</script>' }),
  ),
  row(
    'sip:bob@example.com?body=a%00b',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      dropped: ['URI header "body" (hidden control characters)'],
    }),
  ),
  row(
    'sip:bob@example.com?body=%1B%5B31m',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      dropped: ['URI header "body" (hidden control characters)'],
    }),
  ),
  row(
    `sip:bob@example.com?body=${'x'.repeat(1001)}`,
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      dropped: ['URI header "body" (longer than 1000 characters)'],
    }),
  ),
  row(
    `sip:bob@example.com?body=${'x'.repeat(1000)}`,
    addr('sip', 'sip:bob@example.com', 'bob@example.com', { body: 'x'.repeat(1000) }),
  ),
  row(
    'sip:bob@example.com?body=%E2%80',
    addr('sip', 'sip:bob@example.com', 'bob@example.com', {
      dropped: ['URI header "body" (a damaged %-escape)'],
    }),
  ),
  row('sip:bob@example.com?body=%20%0A', addr('sip', 'sip:bob@example.com', 'bob@example.com')),
  row('sip:bob@example.com?body=a&body=b', 'bad-parameter'),
  row('sip:bob@example.com?body=a b', 'invalid-characters'),
  row('sip:bob@example.com?body=ö', 'non-ascii'),
  // The body never excuses the rest of the link.
  row('sip:bob%0A@example.com?body=hi', 'control-characters'),
  row('tel:+4930123?body=hi', 'invalid-characters'),
  row(
    'callto:bob@example.com?body=hi',
    addr('callto', 'sip:bob@example.com', 'bob@example.com', { dropped: ['URI query "body"'] }),
  ),
];

/** All describe blocks of the corpus, in order. */
export const CORPUS: CaseGroup[] = [
  { title: 'tel: global numbers', parser: 'link', cases: telGlobal },
  { title: 'tel: local numbers and star codes', parser: 'link', cases: telLocal },
  { title: 'tel: parameters', parser: 'link', cases: telParams },
  { title: 'sip:/sips: valid addresses', parser: 'link', cases: sipValid },
  {
    title: 'sip:/sips: parameters, headers and passwords dropped',
    parser: 'link',
    cases: sipStripped,
  },
  { title: 'sip:/sips: escaped user parts', parser: 'link', cases: sipEscapes },
  { title: 'sip:/sips: a body header kept as a draft', parser: 'link', cases: sipBody },
  { title: 'sip:/sips: invalid addresses', parser: 'link', cases: sipInvalid },
  { title: 'callto:', parser: 'link', cases: callto },
  { title: 'hostile links', parser: 'link', cases: hostileLinks },
  { title: 'links as apps pass them', parser: 'link', cases: linksAsAppsPassThem },
  { title: 'typed numbers', parser: 'typed', cases: typedNumbers },
  { title: 'typed addresses, names and links', parser: 'typed', cases: typedAddresses },
  { title: 'typed as people write them', parser: 'typed', cases: typedAsPeopleWriteThem },
];
