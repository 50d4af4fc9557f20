// A network namespace with a private address (10.203.x.2) reachable from this machine over a
// veth pair, and a WebSocket server inside it: a "PBX on the LAN" for the local-network access
// spec, without any traffic leaving the machine. Needs root and iproute2 (`ip`), as the lab's
// other namespace tests do; throws with the command's own message when it cannot be made.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { lineFrom } from './session-bus';

export interface LanServer {
  /** ws://10.203.N.2:PORT/ws */
  url: string;
  /** WebSocket upgrades the server accepted (with their subprotocol). */
  upgrades(): Promise<string[]>;
  stop(): void;
}

const SERVER = `
const http = require('node:http');
const upgrades = [];
const server = http.createServer((req, res) => {
  res.end(JSON.stringify(upgrades));
});
server.on('upgrade', (req, socket) => {
  upgrades.push(String(req.headers['sec-websocket-protocol'] ?? ''));
  socket.end('HTTP/1.1 400 Bad Request\\r\\n\\r\\n');
});
server.listen(0, process.argv[1], () => console.log('listening ' + server.address().port));
`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates the namespace and its server; `n` picks the subnet (10.203.n.0/24). */
export async function startLanServer(n = 1): Promise<LanServer> {
  const ns = `osp-lan-${process.pid}-${n}`;
  const host = `ospl${process.pid % 10000}h${n}`;
  const peer = `ospl${process.pid % 10000}p${n}`;
  const hostIp = `10.203.${n}.1`;
  const lanIp = `10.203.${n}.2`;
  ip('netns', 'add', ns);
  const cleanup = (): void => {
    try {
      ip('link', 'del', host);
    } catch {
      // already gone with the namespace
    }
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  };
  let server: ChildProcessWithoutNullStreams | null = null;
  try {
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', ns);
    ip('addr', 'add', `${hostIp}/24`, 'dev', host);
    ip('link', 'set', host, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${lanIp}/24`, 'dev', peer);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', SERVER, lanIp]);
    const port = (await lineFrom(server, /^listening \d+$/)).split(' ')[1];
    const url = `ws://${lanIp}:${port}/ws`;
    const running = server;
    return {
      url,
      upgrades: async () => (await (await fetch(`http://${lanIp}:${port}/`)).json()) as string[],
      stop: () => {
        running.kill();
        cleanup();
      },
    };
  } catch (error: unknown) {
    server?.kill();
    cleanup();
    throw error;
  }
}
