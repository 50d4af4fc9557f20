// Integration tests of the lab's network namespaces (root only; they fail with the reason where namespaces are
// unavailable): Kamailio on a private veth address in its own namespace, link down/up, address change, teardown.
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netnsSupport, probeSipUdp, SipWsClient } from '../lab';
import { useLab } from '../support/use-lab';

const handle = useLab({ name: 'lab-netns', rtpengine: false, accounts: ['alice'] });

function nsList(): string {
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
}

describe('network namespaces', () => {
  it('are available (CI runs as root)', () => {
    expect(netnsSupport()).toEqual({ ok: true });
  });

  it('run Kamailio on a private address in a namespace; link down/up; address change; teardown', async () => {
    const { lab } = handle;
    const ns = lab.createNetns();
    expect(nsList()).toContain(ns.name);
    expect(ns.nsAddress).toMatch(/^10\.213\.\d+\.2$/);
    expect(ns.hostAddress).toMatch(/^10\.213\.\d+\.1$/);
    // Nothing routes off the machine: not from inside, and not for the subnet while the link is down.
    const offMachine = ns.exec('ip', ['route', 'get', '192.0.2.1']);
    expect(offMachine.status).not.toBe(0);
    expect(offMachine.stderr).toMatch(/unreachable/i);
    // A wrapper runs any command inside (e.g. Chromium for Playwright).
    const wrapper = ns.writeWrapper(join(lab.logDir, 'in-ns-ip'), 'ip');
    expect(spawnSync(wrapper, ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout).toContain(
      `${ns.nsAddress}/24`,
    );

    const k = await lab.startExtraKamailio({ host: ns.nsAddress, netns: ns.name });
    expect(k.wsUrl).toBe(`ws://${ns.nsAddress}:${k.wsPort}`);
    expect(readlinkSync(`/proc/${k.process.pid}/ns/net`)).not.toBe(
      readlinkSync('/proc/self/ns/net'),
    );
    const alice = lab.account('alice');
    const creds = { user: alice.user, password: alice.password, domain: alice.domain };
    const client = await SipWsClient.connect(k.wsUrl);
    try {
      expect((await client.register(creds)).status).toBe(200);

      ns.linkDown();
      expect(ns.linkIsUp).toBe(false);
      expect(spawnSync('ip', ['route', 'get', ns.nsAddress], { encoding: 'utf8' }).stderr).toMatch(
        /No route to host/,
      );
      // The open connection survives; its REGISTER waits in TCP's retransmission queue.
      const pending = client.register(creds, 30_000);
      await expect(SipWsClient.connect(k.wsUrl, { timeoutMs: 10_000 })).rejects.toMatchObject({
        code: expect.stringMatching(/^(ENETUNREACH|EHOSTUNREACH)$/),
      });
      ns.linkUp();
      expect(ns.linkIsUp).toBe(true);
      expect((await pending).status).toBe(200);
      expect(client.open).toBe(true);

      // The namespace end moves to another address: the server bound to the old one is gone.
      const old = ns.nsAddress;
      await k.stop();
      const moved = ns.setNsAddress(9);
      expect(moved).toBe(ns.nsAddress);
      expect(ns.exec('ip', ['-4', '-o', 'addr', 'show']).stdout).not.toContain(`${old}/24`);
      const k2 = await lab.startExtraKamailio({ host: moved, netns: ns.name });
      expect(await probeSipUdp(k2.udpPort, 1000, moved)).toMatch(/^SIP\/2\.0 200/);
      const again = await SipWsClient.connect(k2.wsUrl);
      expect((await again.register(creds)).status).toBe(200);
      await again.close();
    } finally {
      await client.close();
    }
    ns.destroy();
    expect(nsList()).not.toContain(ns.name);
    expect(spawnSync('ip', ['link', 'show', ns.hostIf], { encoding: 'utf8' }).status).not.toBe(0);
    expect(
      spawnSync('ip', ['route', 'show', `${ns.subnet}.0/24`], { encoding: 'utf8' }).stdout,
    ).toBe('');
  });
});
