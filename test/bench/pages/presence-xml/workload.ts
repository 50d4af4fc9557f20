// The presence-XML benchmark's workload, run the same way in Node and in Chromium: dialog-info
// NOTIFY bodies for N lamps, and three ways of turning each into a lamp — this app's reader
// (parseDialogInfo), Chromium's DOMParser with namespace-aware DOM queries, and a naive regular-
// expression scraper — all feeding the same reducer and lamp derivation, so only parsing differs.
import {
  parseDialogInfo,
  type DialogInfoDialog,
  type DialogInfoResult,
  type DialogState,
} from '../../../../src-renderer/src/lib/presence/dialog-info';
import {
  applyDialogInfo,
  UNKNOWN_DIALOGS,
} from '../../../../src-renderer/src/lib/presence/dialog-state';
import { deriveLamp, type LampState } from '../../../../src-renderer/src/lib/presence/lamp';

export type Method = 'reader' | 'domparser' | 'regex';

const NS = 'urn:ietf:params:xml:ns:dialog-info';

/** A ringing NOTIFY for lamp `i`, shaped like Kamailio's pua_dialoginfo output (~750 bytes). */
export function ringingBody(i: number): string {
  return `<?xml version="1.0"?>
<dialog-info xmlns="${NS}" version="${i + 1}" state="full" entity="sip:lamp${i}@lab.example">
  <dialog id="c0a80101-${i}-2" call-id="7f3a1c${i}@10.0.0.5" local-tag="lamp-tag-${i}" remote-tag="caller-tag-${i}" direction="recipient">
    <state>early</state>
    <remote>
      <identity display="Caller Number ${i}">sip:caller${i}@lab.example</identity>
      <target uri="sip:caller${i}@10.0.0.5:5060;transport=udp"/>
    </remote>
    <local>
      <identity>sip:lamp${i}@lab.example</identity>
      <target uri="sip:lamp${i}@lab.example"/>
    </local>
  </dialog>
</dialog-info>`;
}

function fail(message: string): DialogInfoResult {
  return { ok: false, error: { kind: 'wrong-document' }, message };
}

function identityOf(el: Element | undefined): { uri: string; display: string | null } | null {
  const uri = el?.textContent?.trim();
  return el && uri ? { uri, display: el.getAttribute('display') } : null;
}

/** DOMParser + getElementsByTagNameNS, building the same document the reader builds. */
export function parseWithDomParser(body: string): DialogInfoResult {
  const doc = new DOMParser().parseFromString(body, 'application/xml');
  const root = doc.documentElement;
  if (
    doc.getElementsByTagName('parsererror').length > 0 ||
    root.namespaceURI !== NS ||
    root.localName !== 'dialog-info'
  ) {
    return fail('unreadable');
  }
  const dialogs: DialogInfoDialog[] = [];
  for (const d of Array.from(root.getElementsByTagNameNS(NS, 'dialog'))) {
    const part = (name: string) => d.getElementsByTagNameNS(NS, name)[0];
    const remote = part('remote');
    const direction = d.getAttribute('direction');
    dialogs.push({
      id: d.getAttribute('id') ?? '',
      callId: d.getAttribute('call-id'),
      localTag: d.getAttribute('local-tag'),
      remoteTag: d.getAttribute('remote-tag'),
      direction: direction === 'initiator' || direction === 'recipient' ? direction : null,
      state: (part('state')?.textContent?.trim() ?? 'unknown') as DialogState,
      stateEvent: null,
      stateCode: null,
      durationS: null,
      local: null,
      remote: remote
        ? {
            identity: identityOf(remote.getElementsByTagNameNS(NS, 'identity')[0]),
            target: remote.getElementsByTagNameNS(NS, 'target')[0]?.getAttribute('uri') ?? null,
          }
        : null,
    });
  }
  return {
    ok: true,
    document: {
      entity: root.getAttribute('entity') ?? '',
      version: Number(root.getAttribute('version')),
      state: root.getAttribute('state') === 'partial' ? 'partial' : 'full',
      dialogs,
      skipped: 0,
    },
  };
}

const DIALOG = /<dialog\b([^>]*)>([\s\S]*?)<\/dialog>/g;
const attr = (attrs: string, name: string): string | null =>
  new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? null;

/** The naive way: regular expressions over the text, no namespaces, no entity decoding. */
export function parseWithRegex(body: string): DialogInfoResult {
  const head = /<dialog-info\b([^>]*)>/.exec(body);
  if (!head) {
    return fail('no dialog-info');
  }
  const dialogs: DialogInfoDialog[] = [];
  for (const m of body.matchAll(DIALOG)) {
    const attrs = m[1] ?? '';
    const inner = m[2] ?? '';
    const remote = /<remote>([\s\S]*?)<\/remote>/.exec(inner)?.[1] ?? '';
    const id = /<identity(?: display="([^"]*)")?>([^<]*)<\/identity>/.exec(remote);
    const direction = attr(attrs, 'direction');
    dialogs.push({
      id: attr(attrs, 'id') ?? '',
      callId: attr(attrs, 'call-id'),
      localTag: attr(attrs, 'local-tag'),
      remoteTag: attr(attrs, 'remote-tag'),
      direction: direction === 'initiator' || direction === 'recipient' ? direction : null,
      state: (/<state[^>]*>([^<]*)<\/state>/.exec(inner)?.[1]?.trim() ?? 'unknown') as DialogState,
      stateEvent: null,
      stateCode: null,
      durationS: null,
      local: null,
      remote: id
        ? { identity: { uri: id[2] ?? '', display: id[1] ?? null }, target: attr(remote, 'uri') }
        : null,
    });
  }
  return {
    ok: true,
    document: {
      entity: attr(head[1] ?? '', 'entity') ?? '',
      version: Number(attr(head[1] ?? '', 'version')),
      state: attr(head[1] ?? '', 'state') === 'partial' ? 'partial' : 'full',
      dialogs,
      skipped: 0,
    },
  };
}

const PARSERS: Record<Method, (body: string) => DialogInfoResult> = {
  reader: (body) => parseDialogInfo(body),
  domparser: parseWithDomParser,
  regex: parseWithRegex,
};

/** One NOTIFY body → lamp, as the app would: parse, apply to the entity's table, derive. */
export function lampFor(method: Method, body: string): LampState {
  return deriveLamp(applyDialogInfo(UNKNOWN_DIALOGS, PARSERS[method](body)).state).state;
}

/**
 * `samples` timings of `reps` repetitions of handling every body in `bodies`; each sample is
 * returned per handling of the whole set (ms). Repetitions make sub-resolution work measurable
 * under Chromium's coarsened performance.now().
 */
export function measure(
  method: Method,
  bodies: readonly string[],
  samples: number,
  reps: number,
): number[] {
  const out: number[] = [];
  let sink = 0;
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) {
      for (const body of bodies) {
        sink += lampFor(method, body).length;
      }
    }
    out.push((performance.now() - t0) / reps);
  }
  if (sink < 0) {
    out.push(sink); // keeps the work observable to the optimiser
  }
  return out;
}
