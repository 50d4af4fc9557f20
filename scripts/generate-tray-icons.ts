// Writes the tray icons to resources/tray (committed): `npm run icons:tray`.
// Re-run after changing scripts/tray-icons/draw.ts; a unit test checks the files match.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TRAY_STATES } from '../src-main/tray/tray-states';
import { allTrayIcons } from './tray-icons/draw';
import { encodePng } from './lib/png';

const out = resolve(import.meta.dirname, '../resources/tray');
mkdirSync(out, { recursive: true });
const files = allTrayIcons(TRAY_STATES);
for (const [name, image] of files) {
  writeFileSync(join(out, name), encodePng(image));
}
process.stdout.write(`wrote ${files.size} tray icons to ${out}\n`);
