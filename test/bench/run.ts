// `npm run bench`: runs every benchmark, prints its table and writes JSON to bench-results/.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runCallSetupBench } from './call-setup';
import { runAudioBench } from './audio';
import { runHistoryContactsBench } from './history-contacts';
import { runBudgetsBench } from './budgets';
import { runPresenceXmlBench } from './presence-xml';
import { runRecordingBench } from './recording';
import { runChatBench } from './chat';
import { runHealingBench } from './healing';
import { runNetnsSwitchBench } from './healing-netns';
import { runLampsBench } from './lamps';

const OUT = resolve(import.meta.dirname, '../../bench-results');

const benches: Record<string, () => Promise<unknown>> = {
  'call-setup': () => runCallSetupBench(),
  'history-contacts': () => runHistoryContactsBench(),
  audio: () => runAudioBench(),
  budgets: () => runBudgetsBench(),
  'presence-xml': () => runPresenceXmlBench(),
  recording: () => runRecordingBench(),
  chat: () => runChatBench(),
  healing: () => runHealingBench(),
  'healing-netns': () => runNetnsSwitchBench(),
  lamps: () => runLampsBench(),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  await mkdir(OUT, { recursive: true });
  for (const [name, run] of Object.entries(benches)) {
    if (only.length > 0 && !only.includes(name)) {
      continue;
    }
    console.log(`\n== ${name}`);
    const result = await run();
    await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`(written to bench-results/${name}.json)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
