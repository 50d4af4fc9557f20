// Registration under malformed-but-real registrar answers (issue 13): nothing waits forever,
// every failure has a stated cause, and no answer can make the phone REGISTER in a storm.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNUSABLE_RETRIES } from '../../../src-renderer/src/lib/phone/register-answer';
import { header, type SipMessage } from '../../support/loop-sip';
import { advance, harness, registered, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const withoutExpires = (contact: string): string => contact.replace(/;expires=\d+/gi, '');

/** Answers every authorized REGISTER with `answer`, until `fixed()` says the server is healthy. */
function scriptOk(h: Harness, answer: (register: SipMessage) => void): { fix(): void } {
  let broken = true;
  h.server.onRegister = (register, authorized) => {
    if (!authorized || !broken) {
      return false;
    }
    answer(register);
    return true;
  };
  return {
    fix: () => {
      broken = false;
    },
  };
}

async function failsThenRecovers(h: Harness, fix: () => void, message: RegExp): Promise<void> {
  h.engine.start();
  await advance(200);
  const state = h.engine.registration;
  expect(state).toMatchObject({ status: 'failed', cause: 'unusable-answer', code: 200 });
  expect(state.status === 'failed' && state.message).toMatch(message);
  expect(state.status === 'failed' && state.retryAt).toBeGreaterThan(Date.now());
  fix();
  await advance(15_000, 500);
  expect(h.engine.registration.status).toBe('registered');
}

describe('a 2xx to REGISTER that JsSIP ignores', () => {
  it('without a Contact: a stated cause at once, then a retry that registers', async () => {
    const h = harness();
    const script = scriptOk(h, (r) => h.server.reply(r, 200, 'OK'));
    await failsThenRecovers(h, script.fix, /lists no Contact/);
  });

  it('with a Contact that is not ours (a rewriting SBC): a stated cause, then a retry', async () => {
    const h = harness();
    const script = scriptOk(h, (r) =>
      h.server.reply(r, 200, 'OK', {
        headers: ['Contact: <sip:sbc-hidden@192.0.2.1;transport=ws>;expires=600'],
      }),
    );
    await failsThenRecovers(h, script.fix, /does not list this phone's Contact/);
  });

  it('with a CSeq that is not the one sent: a stated cause, then a retry', async () => {
    const h = harness();
    const script = scriptOk(h, (r) => {
      const n = Number(/^(\d+)/.exec(header(r, 'cseq') ?? '')?.[1] ?? 0);
      h.server.reply(r, 200, 'OK', {
        cseq: `${n + 7} REGISTER`,
        headers: [`Contact: ${header(r, 'contact') ?? ''}`],
      });
    });
    await failsThenRecovers(h, script.fix, /CSeq mismatch/);
  });

  it('gives up after a bounded number of attempts and says so', async () => {
    const h = harness();
    scriptOk(h, (r) => h.server.reply(r, 200, 'OK'));
    h.engine.start();
    await advance(30 * 60_000, 1000);
    const state = h.engine.registration;
    expect(state).toMatchObject({ status: 'failed', cause: 'unusable-answer', retryAt: null });
    expect(state.status === 'failed' && state.message).toMatch(/Gave up after/);
    const attempts = h.server.requests('REGISTER').filter((r) => /Authorization:/i.test(r.raw));
    expect(attempts).toHaveLength(UNUSABLE_RETRIES + 1);

    h.server.onRegister = null;
    h.engine.retryNow();
    await advance(200);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('an answer the phone cannot verify is bounded by the watchdog, with its cause', async () => {
    const h = harness();
    // JsSIP matches the transaction by branch and accepts this; the Call-ID says it answers
    // another registration, so the phone cannot trust it: no refresh is scheduled from it.
    scriptOk(h, (r) => {
      const raw = [
        'SIP/2.0 200 OK',
        ...(r.head.headers.get('via') ?? []).map((v) => `Via: ${v}`),
        `From: ${header(r, 'from') ?? ''}`,
        `To: ${header(r, 'to') ?? ''};tag=x1`,
        'Call-ID: someone-else',
        `CSeq: ${header(r, 'cseq') ?? ''}`,
        `Contact: ${header(r, 'contact') ?? ''}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      h.server.deliver(raw);
    });
    h.engine.start();
    await advance(200);
    expect(h.engine.registration.status).toBe('registered'); // what JsSIP believes
    await advance(40_000, 500); // the watchdog's bound; the first retry comes ≥ 4 s later
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'timeout' });
    const state = h.engine.registration;
    expect(state.status === 'failed' && state.message).toMatch(/no usable answer .* within 40 s/);
  });
});

describe('Expires values that break JsSIP timers', () => {
  const cases: [string, (contact: string) => string[]][] = [
    ['Expires: abc', (c) => [`Contact: ${withoutExpires(c)}`, 'Expires: abc']],
    ['Expires: 4294967296', (c) => [`Contact: ${withoutExpires(c)}`, 'Expires: 4294967296']],
    ['Expires: 0', (c) => [`Contact: ${withoutExpires(c)}`, 'Expires: 0']],
    ['expires=-1 on the Contact', (c) => [`Contact: ${withoutExpires(c)};expires=-1`]],
    ['expires=1 on the Contact', (c) => [`Contact: ${withoutExpires(c)};expires=1`]],
  ];
  it.each(cases)('%s: registered, and refreshed at a bounded rate', async (_name, ok) => {
    const h = harness();
    h.server.registerOk = ok;
    await registered(h);
    await advance(10 * 60_000, 1000);
    expect(h.engine.registration.status).toBe('registered');
    // The refresh floor is 30 s: at most 20 refreshes in 10 minutes, each at most a
    // challenged REGISTER plus its authorized repeat (JsSIP's default would be thousands).
    const registers = h.server.requests('REGISTER');
    expect(registers.length).toBeLessThanOrEqual(2 + 2 * 20);
    expect(registers.length).toBeGreaterThan(2); // it does refresh
  });

  it('refreshes a sane registration about halfway to expiry', async () => {
    const h = harness();
    await registered(h);
    const before = h.server.requests('REGISTER').length;
    await advance(290_000, 1000);
    expect(h.server.requests('REGISTER')).toHaveLength(before);
    await advance(80_000, 1000);
    expect(h.server.requests('REGISTER').length).toBeGreaterThan(before);
    expect(h.engine.registration.status).toBe('registered');
  });
});

describe('refusals JsSIP reads wrongly', () => {
  it('a 401 without WWW-Authenticate is not "wrong credentials": bounded retries, stated cause', async () => {
    const h = harness();
    let broken = true;
    h.server.onRegister = (r) => {
      if (broken) {
        h.server.reply(r, 401, 'Unauthorized');
      }
      return broken;
    };
    h.engine.start();
    await advance(200);
    const state = h.engine.registration;
    expect(state).toMatchObject({ status: 'failed', cause: 'unusable-answer', code: 401 });
    expect(state.status === 'failed' && state.message).toMatch(/no usable WWW-Authenticate/);
    expect(state.status === 'failed' && state.retryAt).toBeGreaterThan(Date.now());
    broken = false;
    await advance(15_000, 500);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('a 423 without Min-Expires: one retry asking for a longer interval', async () => {
    const h = harness({ registerExpires: 60 });
    h.server.onRegister = (r, authorized) => {
      const asked = Number(/^\s*(\d+)/.exec(header(r, 'expires') ?? '')?.[1] ?? 0);
      if (!authorized || asked >= 3600) {
        return false;
      }
      h.server.reply(r, 423, 'Interval Too Brief');
      return true;
    };
    await registered(h);
    const last = h.server.requests('REGISTER').at(-1);
    expect(header(last!, 'expires')).toBe('3600');
  });

  it('a 423 without Min-Expires twice: stops with the real cause, no more REGISTERs', async () => {
    const h = harness();
    h.server.onRegister = (r, authorized) => {
      if (authorized) {
        h.server.reply(r, 423, 'Interval Too Brief');
      }
      return authorized;
    };
    h.engine.start();
    await advance(500);
    const state = h.engine.registration;
    expect(state).toMatchObject({ status: 'failed', cause: 'rejected', code: 423, retryAt: null });
    expect(state.status === 'failed' && state.message).toMatch(/no Min-Expires/);
    const count = h.server.requests('REGISTER').length;
    await advance(10 * 60_000, 1000);
    expect(h.server.requests('REGISTER')).toHaveLength(count);
  });
});
