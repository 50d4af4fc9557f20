// Accessibility of every main screen of the real app (issue 18, item 12): the screen tour
// (test/support/screen-tour.ts) against the lab, and at each screen axe-core in both themes,
// narrow (400 × 680) and wide (1400 × 900): zero serious or critical violations, and a
// level-one heading.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { seriousViolations, type AxeViolation } from '../support/axe';
import { TOUR_SCREENS, tourScreens } from '../support/screen-tour';

const lab = useLab({ name: 'e2e-a11y', rtpengine: false });
const env = useE2eEnv();

const SIZES = [
  { name: 'narrow', width: 400, height: 680 },
  { name: 'wide', width: 1400, height: 900 },
] as const;

describe('accessibility', () => {
  it('every main screen, light and dark, narrow and wide: no serious or critical axe violation', async () => {
    const [alice, bob, carol] = [
      await PhonePage.open(await env.browser(440), env.server),
      await PhonePage.open(await env.browser(880), env.server),
      await PhonePage.open(await env.browser(660), env.server),
    ];
    const found: { screen: string; where: string; violations: AxeViolation[] }[] = [];
    const headless: string[] = [];
    const visited: string[] = [];
    try {
      for (const p of [alice, bob, carol]) {
        await p.page.setViewportSize(SIZES[0]);
      }
      await tourScreens(lab.lab, { alice, bob, carol }, async (screen, page) => {
        visited.push(screen);
        for (const size of SIZES) {
          await page.setViewportSize(size);
          for (const scheme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme: scheme });
            const violations = await seriousViolations(page);
            if (violations.length > 0) {
              found.push({ screen, where: `${size.name} ${scheme}`, violations });
            }
          }
          if ((await page.locator('h1').count()) === 0) {
            headless.push(`${screen} (${size.name})`);
          }
        }
        await page.setViewportSize(SIZES[0]);
        await page.emulateMedia({ colorScheme: 'light' });
      });
      expect(visited).toEqual([...TOUR_SCREENS]);
      expect(found).toEqual([]);
      expect(headless).toEqual([]);
      for (const p of [alice, bob, carol]) {
        expect(p.errors).toEqual([]);
      }
    } finally {
      for (const p of [alice, bob, carol]) {
        await p.close();
      }
    }
  });
});
