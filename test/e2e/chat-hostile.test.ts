// Issue 14, the hostile corpus end to end: a raw SIP client registered in the lab (carol) sends
// each hostile body (markup, script, 1 MB, NUL bytes, invalid UTF-8, bidi overrides, …) and
// hostile display names through Kamailio to the real renderer build. Each is either refused with
// a clear status (by the app, or by Kamailio for what it cannot carry) and shown nowhere, or
// shown as exactly its cleaned text: no element is created from it but our own link anchors, no
// script runs, the notification asked of main carries the same plain text, and the page has no
// error. Invalid UTF-8 (binary frames) is shown with replacement characters.
import { describe, expect, it } from 'vitest';
import { acceptIncomingMessage } from '../../src-renderer/src/lib/messaging/incoming-body';
import { HOSTILE_BODIES, HOSTILE_NAMES } from '../unit/messaging/hostile-bodies.corpus';
import { ChatPage } from '../support/chat-page';
import { registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { SipWsClient, type SipMessage } from '../support/sip-ws-client';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-chat-hostile', rtpengine: false });
const env = useE2eEnv();

/** What a text frame can carry: the string as UTF-8 (a lone surrogate becomes U+FFFD). */
const onTheWire = (s: string): string => new TextDecoder().decode(new TextEncoder().encode(s));

describe('hostile messages and names over Kamailio', () => {
  it('each body is refused or shown as inert text; each name is one plain line', async () => {
    const phone = await PhonePage.open(await env.browser(440), env.server);
    const chat = new ChatPage(phone);
    const carol = lab.lab.account('carol');
    const peer = await SipWsClient.connect(lab.lab.wsUrl);
    try {
      await registerAll(lab.lab, [phone, 'alice']);
      expect(
        (await peer.register({ user: 'carol', password: carol.password, domain: lab.lab.domain }))
          .status,
      ).toBe(200);
      // Anything that would run: a script must never execute.
      await phone.page.evaluate(() => {
        (window as unknown as { pwned: number }).pwned = 0;
        window.alert = () => ((window as unknown as { pwned: number }).pwned += 1);
      });
      const creds = { user: 'carol', password: carol.password };
      const uri = `sip:alice@${lab.lab.domain}`;
      const send = (
        body: string | Uint8Array,
        contentType: string | null,
        fromName?: string,
        client = peer,
      ): Promise<SipMessage> =>
        client.requestWithAuth(
          {
            method: 'MESSAGE',
            uri,
            ...(fromName !== undefined ? { fromName } : {}),
            ...(typeof body === 'string' ? { body } : { binaryBody: body }),
            contentType,
          },
          creds,
          10_000,
        );

      const shown: string[] = [];
      for (const c of HOSTILE_BODIES.filter((b) => !/[\r\n]/.test(b.contentType ?? ''))) {
        // A text frame carries the string as UTF-8; a binary frame carries the bytes, and the app
        // gets them decoded as UTF-8 with replacement characters.
        const wire = typeof c.body === 'string' ? onTheWire(c.body) : c.body;
        const asText = typeof wire === 'string' ? wire : new TextDecoder().decode(wire);
        const verdict = acceptIncomingMessage({ contentType: c.contentType, body: asText });
        const size = typeof wire === 'string' ? Buffer.byteLength(wire) : wire.byteLength;
        if (size > 60_000) {
          // Kamailio's WebSocket buffer is 64 KiB: it drops the connection of a sender of more
          // (tcp_read "buffer overrun") or refuses; the app never sees the message.
          const big = await SipWsClient.connect(lab.lab.wsUrl);
          const outcome = await Promise.race([
            send(wire, c.contentType, undefined, big).then((r) => `status ${r.status}`),
            big.closed().then(() => 'closed'),
          ]).catch((error: unknown) => String(error));
          await big.close();
          expect(outcome, c.name).toMatch(/^(closed|status (413|500|513))$/);
          continue;
        }
        const res = await send(wire, c.contentType);
        if (verdict.action === 'reject') {
          expect(res.status, c.name).toBe(verdict.status);
          if (verdict.status === 415) {
            expect(res.header('Accept'), c.name).toBe('text/plain, application/im-iscomposing+xml');
          }
        } else {
          expect(res.status, c.name).toBe(200);
          if (verdict.action === 'message') {
            shown.push(verdict.text);
          }
        }
      }

      await chat.open(`carol@${lab.lab.domain}`);
      await chat.waitForMessage(shown.at(-1)!.slice(0, 10));
      const thread = await chat.messages();
      expect(thread.map((m) => m.text)).toEqual(shown.map((t) => t.trim()));
      // Nothing but our link anchors was made from network text.
      const elements = await chat.thread
        .locator('[data-testid="chat-message"] .text *')
        .evaluateAll((els) => els.map((e) => e.tagName.toLowerCase()));
      expect(new Set(elements)).toEqual(new Set(elements.length ? ['a'] : []));
      expect(await phone.page.evaluate(() => (window as unknown as { pwned: number }).pwned)).toBe(
        0,
      );
      // The notifications main was asked for carry plain text only.
      for (const notice of phone.bridge.shell.messageNotices) {
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u0009\u000b-\u001f\u202d\u202e]/.test(notice.body + notice.title)).toBe(
          false,
        );
      }

      // Display names: one clean line beside the address, which stays the name shown.
      for (const [i, n] of HOSTILE_NAMES.entries()) {
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001f]/.test(n.input)) {
          continue; // cannot be written in a From header at all
        }
        expect((await send(`name ${i}`, 'text/plain;charset=UTF-8', n.input)).status, n.name).toBe(
          200,
        );
        await chat.waitForMessage(`name ${i}`);
        const claimed = phone.page.getByTestId('chat-claimed');
        if (n.shown === '') {
          expect(await claimed.count(), n.name).toBe(0);
        } else {
          expect(await claimed.locator('bdi').innerText(), n.name).toBe(n.shown);
        }
        expect(await phone.page.getByTestId('chat-name').innerText()).toBe(
          `carol@${lab.lab.domain}`,
        );
      }
      expect(phone.errors).toEqual([]);
      // No hostile message cost the registration.
      await phone.waitForRegistration('registered');
    } finally {
      await peer.close();
      await phone.close();
    }
  });
});
