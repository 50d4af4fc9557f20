// Owns the unit tests of the busy-lamp chain: dialog-info parsing (dialog-info.ts) on bodies
// shaped like RFC 4235's, Kamailio's, Asterisk's and FreeSWITCH's; the version-ordered reducer
// (dialog-state.ts); and the lamp with its caller and pickup data (lamp.ts), including the
// Replaces tag orientation.
import { describe, expect, it } from 'vitest';
import {
  MAX_DIALOGS,
  parseDialogInfo,
  type DialogInfoDialog,
  type DialogInfoDocument,
} from '../../../src-renderer/src/lib/presence/dialog-info';
import {
  applyDialogInfo,
  DialogInfoStore,
  resetDialogVersion,
  UNKNOWN_DIALOGS,
  type EntityDialogs,
} from '../../../src-renderer/src/lib/presence/dialog-state';
import {
  deriveLamp,
  featureCodePickup,
  isValidCallId,
  isValidTag,
  pickupFor,
} from '../../../src-renderer/src/lib/presence/lamp';
import {
  ASTERISK_IDLE,
  ASTERISK_PICKUP,
  ASTERISK_RINGING,
  FREESWITCH_RINGING,
  KAMAILIO_CONFIRMED_PARTIAL,
  KAMAILIO_RINGING,
  KAMAILIO_TERMINATED_PARTIAL,
  RFC4235_EXAMPLE,
} from './samples';

function doc(body: string): DialogInfoDocument {
  const r = parseDialogInfo(body);
  if (!r.ok) {
    throw new Error(r.message);
  }
  return r.document;
}

const NS = 'urn:ietf:params:xml:ns:dialog-info';

/** A dialog-info document from a compact description. */
function body(
  version: number,
  state: 'full' | 'partial',
  dialogs: Array<{ id: string; state: string; direction?: string; extra?: string }>,
): string {
  const inner = dialogs
    .map(
      (d) =>
        `<dialog id="${d.id}"${d.direction ? ` direction="${d.direction}"` : ''} call-id="c-${d.id}" local-tag="l-${d.id}" remote-tag="r-${d.id}"><state>${d.state}</state>${d.extra ?? ''}</dialog>`,
    )
    .join('');
  return `<dialog-info xmlns="${NS}" version="${version}" state="${state}" entity="sip:bob@x">${inner}</dialog-info>`;
}

function run(bodies: string[], start: EntityDialogs = UNKNOWN_DIALOGS) {
  let state = start;
  const outcomes: string[] = [];
  const resyncs: boolean[] = [];
  for (const b of bodies) {
    const r = applyDialogInfo(state, parseDialogInfo(b));
    state = r.state;
    outcomes.push(r.outcome);
    resyncs.push(r.resync);
  }
  return { state, outcomes, resyncs };
}

describe('parseDialogInfo', () => {
  it('reads every field of the RFC 4235 example', () => {
    const d = doc(RFC4235_EXAMPLE);
    expect(d).toMatchObject({
      entity: 'sip:alice@example.com',
      version: 0,
      state: 'full',
      skipped: 0,
    });
    expect(d.dialogs).toEqual<DialogInfoDialog[]>([
      {
        id: 'as7d900as8',
        callId: 'a84b4c76e66710',
        localTag: '1928301774',
        remoteTag: null,
        direction: 'initiator',
        state: 'terminated',
        stateEvent: 'rejected',
        stateCode: 486,
        durationS: 274,
        local: {
          identity: { uri: 'sip:alice@example.com', display: 'Alice Smith' },
          target: 'sip:alice@pc33.example.com',
        },
        remote: {
          identity: { uri: 'sip:bob@example.org', display: 'Bob' },
          target: 'sip:bobster@phone21.example.org',
        },
      },
    ]);
  });

  it('reads prefixed documents (FreeSWITCH) the same as default-namespace ones', () => {
    const d = doc(FREESWITCH_RINGING);
    expect(d.version).toBe(12);
    expect(d.dialogs[0]).toMatchObject({
      direction: 'recipient',
      state: 'early',
      remote: {
        identity: { uri: 'sip:1001@192.168.1.10', display: 'Bob & Co' },
        target: 'sip:**1000@192.168.1.10',
      },
    });
  });

  it('reads the minimal Asterisk form (no direction, no ids)', () => {
    expect(doc(ASTERISK_RINGING).dialogs).toMatchObject([
      { id: '201', direction: null, callId: null, localTag: null, remoteTag: null, state: 'early' },
    ]);
  });

  it('maps a state word outside RFC 4235 to "unknown", case-insensitively reading known ones', () => {
    const d = doc(
      body(1, 'full', [
        { id: 'a', state: 'ON-HOLD' },
        { id: 'b', state: ' Confirmed ' },
      ]),
    );
    expect(d.dialogs.map((x) => x.state)).toEqual(['unknown', 'confirmed']);
  });

  it('skips dialogs without an id, keeps the last of a repeated id, caps the count', () => {
    const d = doc(
      `<dialog-info xmlns="${NS}" version="1" state="full" entity="sip:b@x"><dialog><state>early</state></dialog><dialog id="a"><state>early</state></dialog><dialog id="a"><state>confirmed</state></dialog></dialog-info>`,
    );
    expect(d.skipped).toBe(1);
    expect(d.dialogs.map((x) => [x.id, x.state])).toEqual([['a', 'confirmed']]);
    const many = doc(
      body(
        1,
        'full',
        Array.from({ length: MAX_DIALOGS + 5 }, (_, i) => ({ id: `d${i}`, state: 'early' })),
      ),
    );
    expect(many.dialogs).toHaveLength(MAX_DIALOGS);
    expect(many.skipped).toBe(5);
  });

  it('drops ids, tags and URIs that contain white space or controls, and cleans display names', () => {
    const d = doc(
      `<dialog-info xmlns="${NS}" version="1" state="full" entity="sip:b@x"><dialog id="a" call-id="x y" local-tag="t&#10;Via: evil"><state>early</state><remote><identity display="  Mallory &#x202E;gpj.exe&#x9F;  ">sip:m@x</identity><target uri="sip:m@x&#13;"/></remote></dialog></dialog-info>`,
    );
    const dialog = d.dialogs[0]!;
    expect(dialog.callId).toBeNull();
    expect(dialog.localTag).toBeNull();
    expect(dialog.remote?.identity).toEqual({ uri: 'sip:m@x', display: 'Mallory gpj.exe' });
  });

  it.each([
    ['not XML', 'xml'],
    [`<dialog-info version="1" state="full" entity="sip:b@x"/>`, 'wrong-document'],
    [
      `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-infoX" version="1" state="full" entity="e"/>`,
      'wrong-document',
    ],
    [`<presence xmlns="${NS}"/>`, 'wrong-document'],
    [`<dialog-info xmlns="${NS}" state="full" entity="e"/>`, 'bad-version'],
    [`<dialog-info xmlns="${NS}" version="-1" state="full" entity="e"/>`, 'bad-version'],
    [`<dialog-info xmlns="${NS}" version="4294967296" state="full" entity="e"/>`, 'bad-version'],
    [`<dialog-info xmlns="${NS}" version="1" state="complete" entity="e"/>`, 'bad-state'],
    [`<dialog-info xmlns="${NS}" version="1" state="full"/>`, 'no-entity'],
  ])('refuses %s (%s)', (input, kind) => {
    const r = parseDialogInfo(input);
    expect(r.ok ? 'ok' : r.error.kind).toBe(kind);
    expect(r.ok || /^[A-Z].*\.$/.test(r.message)).toBe(true);
  });
});

describe('applyDialogInfo (RFC 4235 §4.3)', () => {
  it('follows a call: ringing → confirmed → terminated with partial updates', () => {
    const { state, outcomes, resyncs } = run([
      KAMAILIO_RINGING,
      KAMAILIO_CONFIRMED_PARTIAL,
      KAMAILIO_TERMINATED_PARTIAL,
    ]);
    expect(outcomes).toEqual(['applied', 'applied', 'applied']);
    expect(resyncs).toEqual([false, false, false]);
    expect(state).toMatchObject({ status: 'known', version: 3, complete: true });
    expect(state.dialogs.size).toBe(0);
  });

  it("keeps a partial update's unmentioned rows and replaces mentioned ones whole", () => {
    const { state } = run([
      body(1, 'full', [
        { id: 'a', state: 'confirmed' },
        { id: 'b', state: 'early', direction: 'recipient' },
      ]),
      body(2, 'partial', [{ id: 'b', state: 'confirmed' }]),
    ]);
    expect([...state.dialogs.values()].map((d) => [d.id, d.state])).toEqual([
      ['a', 'confirmed'],
      ['b', 'confirmed'],
    ]);
  });

  it('a full document flushes rows it does not list', () => {
    const { state } = run([
      body(1, 'full', [{ id: 'a', state: 'confirmed' }]),
      body(2, 'full', [{ id: 'b', state: 'early' }]),
    ]);
    expect([...state.dialogs.keys()]).toEqual(['b']);
  });

  it('ignores older and repeated versions', () => {
    const { state, outcomes } = run([
      body(5, 'full', [{ id: 'a', state: 'confirmed' }]),
      body(5, 'full', []),
      body(4, 'partial', [{ id: 'a', state: 'terminated' }]),
      body(3, 'full', []),
    ]);
    expect(outcomes).toEqual(['applied', 'stale', 'stale', 'stale']);
    expect([...state.dialogs.keys()]).toEqual(['a']);
    expect(state.version).toBe(5);
  });

  it('a gap before a partial document is applied but asks for a full refresh', () => {
    const { state, resyncs } = run([
      body(1, 'full', [{ id: 'a', state: 'confirmed' }]),
      body(4, 'partial', [{ id: 'b', state: 'early' }]),
    ]);
    expect(resyncs).toEqual([false, true]);
    expect(state).toMatchObject({ version: 4, complete: false });
    expect(deriveLamp(state).state).toBe('ringing');
  });

  it('a gap before a full document needs nothing more', () => {
    const { state, resyncs } = run([body(1, 'full', []), body(9, 'full', [])]);
    expect(resyncs).toEqual([false, false]);
    expect(state.complete).toBe(true);
  });

  it('a partial document first is applied but incomplete until a full one comes', () => {
    const { state, resyncs } = run([
      body(7, 'partial', [{ id: 'a', state: 'terminated' }]),
      body(8, 'partial', []),
    ]);
    expect(resyncs).toEqual([true, true]);
    expect(deriveLamp(state)).toMatchObject({ state: 'unknown' });
    const after = run([body(9, 'full', [])], state);
    expect(deriveLamp(after.state).state).toBe('idle');
  });

  it('an unreadable body makes the entity unknown (not the last good state) and asks to resync', () => {
    const { state, outcomes, resyncs } = run([
      body(1, 'full', [{ id: 'a', state: 'confirmed' }]),
      '<dialog-info><!DOCTYPE',
    ]);
    expect(outcomes).toEqual(['applied', 'refused']);
    expect(resyncs[1]).toBe(true);
    expect(state).toMatchObject({ status: 'unknown', version: null });
    expect(deriveLamp(state).state).toBe('unknown');
    // The next readable document is accepted whatever its version.
    expect(run([body(0, 'full', [])], state).state.status).toBe('known');
  });

  it('resetDialogVersion lets a new subscription count from 0 again, keeping the rows', () => {
    const first = run([body(10, 'full', [{ id: 'a', state: 'confirmed' }])]).state;
    const reset = resetDialogVersion(first);
    expect(deriveLamp(reset).state).toBe('in-call');
    const next = run([body(0, 'full', [])], reset);
    expect(next.outcomes).toEqual(['applied']);
    expect(deriveLamp(next.state).state).toBe('idle');
  });

  it('reports dialogs that ended in this document', () => {
    const start = run([KAMAILIO_RINGING]).state;
    const r = applyDialogInfo(start, parseDialogInfo(KAMAILIO_TERMINATED_PARTIAL));
    // version 3 after 1: a gap, still applied; the ended dialog is reported.
    expect(r.ended.map((d) => [d.id, d.stateEvent])).toEqual([['c0a80101-13c4-2', 'remote-bye']]);
  });
});

describe('DialogInfoStore', () => {
  it('keeps one table per key and forgets on demand', () => {
    const store = new DialogInfoStore();
    expect(store.get('sip:a@x')).toBe(UNKNOWN_DIALOGS);
    store.apply('sip:a@x', parseDialogInfo(body(1, 'full', [{ id: 'a', state: 'confirmed' }])));
    store.apply('sip:b@x', parseDialogInfo(body(1, 'full', [])));
    expect(deriveLamp(store.get('sip:a@x')).state).toBe('in-call');
    expect(deriveLamp(store.get('sip:b@x')).state).toBe('idle');
    expect(store.apply('sip:a@x', parseDialogInfo(body(1, 'full', []))).outcome).toBe('stale');
    store.resetVersion('sip:a@x');
    expect(store.apply('sip:a@x', parseDialogInfo(body(1, 'full', []))).outcome).toBe('applied');
    store.markUnknown('sip:b@x', 'The subscription was refused.');
    expect(deriveLamp(store.get('sip:b@x'))).toMatchObject({
      state: 'unknown',
      cause: 'The subscription was refused.',
    });
    store.forget('sip:a@x');
    expect(store.keys()).toEqual(['sip:b@x']);
  });
});

describe('deriveLamp', () => {
  const lamp = (bodies: string[]) => deriveLamp(run(bodies).state);

  it('is unknown before anything arrived', () => {
    expect(deriveLamp(UNKNOWN_DIALOGS)).toMatchObject({ state: 'unknown', pickup: null });
  });

  it('is idle for a full document without live dialogs (Asterisk idle)', () => {
    expect(lamp([ASTERISK_IDLE])).toEqual({
      state: 'idle',
      caller: null,
      pickup: null,
      alsoInCall: false,
      cause: null,
    });
  });

  it.each([
    ['recipient', 'trying', 'ringing'],
    ['recipient', 'proceeding', 'ringing'],
    ['recipient', 'early', 'ringing'],
    [undefined, 'early', 'ringing'],
    ['initiator', 'trying', 'in-call'],
    ['initiator', 'early', 'in-call'],
    ['initiator', 'confirmed', 'in-call'],
    ['recipient', 'confirmed', 'in-call'],
    [undefined, 'confirmed', 'in-call'],
    ['recipient', 'terminated', 'idle'],
    ['recipient', 'parked', 'unknown'],
  ] as const)('direction %s, state %s → %s', (direction, state, expected) => {
    expect(lamp([body(1, 'full', [{ id: 'a', state, direction }])]).state).toBe(expected);
  });

  it('ringing wins over a call in progress (call waiting) and says so', () => {
    const l = lamp([
      body(1, 'full', [
        { id: 'a', state: 'confirmed', direction: 'initiator' },
        { id: 'b', state: 'early', direction: 'recipient' },
      ]),
    ]);
    expect(l).toMatchObject({ state: 'ringing', alsoInCall: true });
  });

  it('a known busy dialog wins over a dialog in an unknown state', () => {
    const l = lamp([
      body(1, 'full', [
        { id: 'a', state: 'held' },
        { id: 'b', state: 'confirmed' },
      ]),
    ]);
    expect(l.state).toBe('in-call');
  });

  it('tells who is calling and builds the pickup from a Kamailio ringing dialog', () => {
    expect(lamp([KAMAILIO_RINGING])).toEqual({
      state: 'ringing',
      caller: { uri: 'sip:alice@lab.example', display: 'Alice Liddell' },
      pickup: {
        dialogId: 'c0a80101-13c4-2',
        callId: '7f3a1c@10.0.0.5',
        // Replaces is matched at the caller's side: its own tag is the dialog-info remote-tag.
        toTag: 'alice-tag-9',
        fromTag: 'bob-tag-1',
        replaces: '7f3a1c@10.0.0.5;to-tag=alice-tag-9;from-tag=bob-tag-1;early-only',
        requestUri: 'sip:alice@10.0.0.5:5060;transport=udp',
      },
      alsoInCall: false,
      cause: null,
    });
  });

  it("puts the PBX's own tag in to-tag for an Asterisk pickup", () => {
    const l = lamp([ASTERISK_PICKUP]);
    expect(l.caller).toEqual({ uri: 'sip:2609@192.168.50.1', display: '2609 Joe' });
    expect(l.pickup?.replaces).toBe(
      'pickup-f790a853-eecf4fb8-65f1d8f5@192.168.50.125;to-tag=as7f73e479;from-tag=3890462F-63E77AB4;early-only',
    );
  });

  it('offers no Replaces pickup when the PBX gives no ids (feature code only)', () => {
    expect(lamp([ASTERISK_RINGING])).toMatchObject({
      state: 'ringing',
      caller: null,
      pickup: null,
    });
    expect(lamp([FREESWITCH_RINGING])).toMatchObject({
      state: 'ringing',
      caller: { display: 'Bob & Co' },
      pickup: null,
    });
  });

  it('prefers, among several ringing dialogs, the one that can be picked up', () => {
    const l = lamp([
      `<dialog-info xmlns="${NS}" version="1" state="full" entity="sip:b@x"><dialog id="noids" direction="recipient"><state>early</state><remote><identity>sip:first@x</identity></remote></dialog><dialog id="ids" direction="recipient" call-id="c1" local-tag="l1" remote-tag="r1"><state>early</state><remote><identity>sip:second@x</identity></remote></dialog></dialog-info>`,
    ]);
    expect(l.caller?.uri).toBe('sip:second@x');
    expect(l.pickup?.dialogId).toBe('ids');
  });
});

describe('pickup safety', () => {
  const dialog = (callId: string | null, localTag: string | null, remoteTag: string | null) =>
    ({
      id: 'd',
      callId,
      localTag,
      remoteTag,
      direction: 'recipient',
      state: 'early',
      stateEvent: null,
      stateCode: null,
      durationS: null,
      local: null,
      remote: null,
    }) satisfies DialogInfoDialog;

  it.each([
    ['abc@host', 'l', 'r', true],
    ['abc', 'l', 'r', true],
    ['a:b<c>"d"/[e]?{f}\\g@h', 'l', 'r', true],
    [null, 'l', 'r', false],
    ['abc', null, 'r', false],
    ['abc', 'l', null, false],
    ['a;b', 'l', 'r', false],
    ['a,b', 'l', 'r', false],
    ['a@b@c', 'l', 'r', false],
    ['@b', 'l', 'r', false],
    ['abc', 'l;x=y', 'r', false],
    ['abc', 'l', 'r:x', false],
    ['abc', 'l', 'r\r\nVia: x', false],
    ['x'.repeat(257), 'l', 'r', false],
    ['abc', 'l'.repeat(129), 'r', false],
  ])('call-id %j, tags %j / %j → pickup %s', (callId, local, remote, ok) => {
    expect(pickupFor(dialog(callId, local, remote)) !== null).toBe(ok);
  });

  it('validates Call-IDs and tags by the RFC 3261 grammar', () => {
    expect(isValidCallId('f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com')).toBe(true);
    expect(isValidCallId('')).toBe(false);
    expect(isValidTag('1928301774')).toBe(true);
    expect(isValidTag('a b')).toBe(false);
  });

  it('builds feature-code pickups only from dial digits', () => {
    expect(featureCodePickup('*8', '201')).toBe('*8201');
    expect(featureCodePickup(' ** ', ' 1000 ')).toBe('**1000');
    expect(featureCodePickup('*8', 'sip:201@x')).toBeNull();
    expect(featureCodePickup('*8;', '201')).toBeNull();
    expect(featureCodePickup('', '201')).toBeNull();
  });
});
