// A baresip that echoes every call back (baresip's `echo` module over `aubridge`), registered
// in the lab's Kamailio over UDP, so the app ↔ baresip path (through rtpengine) can be timed
// as a round trip on one page's clock. Its config is the lab's baresip config with the audio
// source and player replaced by the bridge and without recording.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabAccount } from '../../../lab/lab';
import { baresipConfig } from '../../../lab/baresip';
import { freePort, freePortRange, LAB_HOST } from '../../../lab/ports';
import { spawnLabProcess, waitFor, type LabProcess } from '../../../lab/process';

/** Rewrites the lab's baresip config into an echo server's. */
export function echoConfig(labConfig: string): string {
  return labConfig
    .split('\n')
    .filter((line) => !/^module\t+sndfile\.so$/.test(line) && !line.startsWith('snd_path'))
    .map((line) => {
      if (line.startsWith('audio_player')) {
        return 'audio_player\t\taubridge,echo';
      }
      if (line.startsWith('audio_source')) {
        return 'audio_source\t\taubridge,echo';
      }
      if (line === 'module_app\t\tctrl_tcp.so') {
        return 'module\t\t\taubridge.so\nmodule_app\t\techo.so';
      }
      return line;
    })
    .join('\n');
}

/** Starts the echo phone as `account` (a lab account) and waits until it registered. */
export async function startEchoPhone(lab: Lab, account: LabAccount): Promise<LabProcess> {
  const dir = join(lab.logDir, `baresip-echo-${account.user}`);
  mkdirSync(dir, { recursive: true });
  const rtp = await freePortRange(20);
  const config = baresipConfig({
    sipPort: await freePort('udp'),
    ctrlPort: await freePort('tcp'),
    tone: 440,
    recordDir: dir,
    rtpMin: rtp.min,
    rtpMax: rtp.max,
  });
  writeFileSync(join(dir, 'config'), echoConfig(config));
  const params = [
    `auth_pass=${account.password}`,
    `outbound="sip:${LAB_HOST}:${lab.kamailio.udpPort}"`,
    'regint=3600',
    'answermode=manual',
    'audio_codecs=opus/48000/2,PCMU/8000/1',
    'mwi=no',
  ];
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${account.user}@${account.domain}>;${params.join(';')}\n`,
  );
  writeFileSync(join(dir, 'contacts'), '');
  const before = lab.kamailio.registerCount(account.user);
  const proc = spawnLabProcess({
    name: `baresip-echo(${account.user})`,
    command: 'baresip',
    args: ['-f', dir, '-v'],
    logFile: join(lab.logDir, `baresip-echo-${account.user}.log`),
  });
  await waitFor(() => lab.kamailio.registerCount(account.user) > before, {
    what: `echo phone ${account.user} registered`,
    process: proc,
    timeoutMs: 10_000,
  });
  return proc;
}
