// Lab port picking: free loopback TCP/UDP ports and contiguous free UDP port ranges.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** Transport of a port to pick. */
export type PortKind = 'tcp' | 'udp';

/** Loopback address every lab service binds to. */
export const LAB_HOST = '127.0.0.1';

/**
 * Picks a free loopback port by binding 127.0.0.1:0 and closing again. There is a small window
 * in which another process could take it; the lab binds it right away.
 */
export async function freePort(kind: PortKind = 'tcp'): Promise<number> {
  if (kind === 'udp') {
    return new Promise<number>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, LAB_HOST, () => {
        const { port } = socket.address();
        socket.close(() => resolve(port));
      });
    });
  }
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LAB_HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: unexpected server address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Resolves true when `port` can be bound on loopback for the given transport. */
export async function isPortFree(port: number, kind: PortKind): Promise<boolean> {
  if (kind === 'udp') {
    return new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => {
        socket.close();
        resolve(false);
      });
      socket.bind(port, LAB_HOST, () => socket.close(() => resolve(true)));
    });
  }
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, LAB_HOST, () => server.close(() => resolve(true)));
  });
}

/** An inclusive port range. */
export interface PortRange {
  min: number;
  max: number;
}

/**
 * Finds `n` consecutive loopback ports that are free for UDP (and TCP when `kind` is 'tcp'),
 * probing random even-aligned starts in 20000–59999. Used for rtpengine's media port range.
 */
export async function freePortRange(n: number, kind: PortKind = 'udp'): Promise<PortRange> {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`freePortRange: n must be a positive integer, got ${n}`);
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    const min = 20000 + 2 * Math.floor(Math.random() * ((40000 - n) / 2));
    let ok = true;
    for (let port = min; port < min + n && ok; port++) {
      ok = await isPortFree(port, kind);
    }
    if (ok) {
      return { min, max: min + n - 1 };
    }
  }
  throw new Error(`freePortRange: no ${n} consecutive free ${kind} ports found`);
}
