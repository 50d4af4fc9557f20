// Puts fake telephony headsets into a page of the real renderer: bundles page-hid.ts (the
// WebHID fake of fake-hid.ts) into an init script with devices built from real report
// descriptors, and answers its questions with the test bridge's real main-side headset code
// (select-hid-device, the permission handlers, hid-device-revoked). The test presses buttons
// (input reports) and reads the lights (output reports) through the returned handle.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { descriptorFromHex } from '../../src-renderer/src/lib/headset/descriptor-items';
import { parseReportDescriptor } from '../../src-renderer/src/lib/headset/report-descriptor';
import { DESCRIPTORS } from '../unit/headset/descriptors.corpus';
import { OUTPUT_BYTES, type FakeKey } from '../unit/headset/devices';
import type { SentReport } from './fake-hid';
import type { MainHidDevice, PageHidControls, PageHidDeviceConfig } from './page-hid';
import type { TestBridge } from './test-bridge';

/** A fake headset for a page: which real descriptor, and its identity. */
export interface FakeHeadsetSpec {
  deviceId: string;
  model: FakeKey;
  serialNumber?: string | null;
  /** Plugged in when the page loads (default true). */
  plugged?: boolean;
}

let bundle: Promise<string> | null = null;

/** page-hid.ts as one script for the browser (built once per test run). */
function pageScript(): Promise<string> {
  bundle ??= (async () => {
    const output = (await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        write: false,
        minify: false,
        lib: {
          entry: resolve(import.meta.dirname, 'page-hid.ts'),
          formats: ['iife'],
          name: '__fakeHidBundle',
        },
      },
    })) as Rolldown.RolldownOutput[] | Rolldown.RolldownOutput;
    const chunk = (Array.isArray(output) ? output : [output])
      .flatMap((o) => o.output)
      .find((c) => c.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') {
      throw new Error('page-hid.ts did not bundle');
    }
    return chunk.code;
  })();
  return bundle;
}

function configOf(spec: FakeHeadsetSpec): PageHidDeviceConfig {
  const d = DESCRIPTORS[spec.model];
  return {
    deviceId: spec.deviceId,
    vendorId: d.vendorId,
    productId: d.productId,
    productName: d.name,
    serialNumber: spec.serialNumber ?? null,
    collections: parseReportDescriptor(descriptorFromHex(d.hex)).collections,
    outputReportBytes: { ...OUTPUT_BYTES[spec.model] },
    plugged: spec.plugged ?? true,
  };
}

type Controls = { __fakeHid: PageHidControls };

/** The page's fake headsets, driven from the test. */
export class PageHeadsets {
  constructor(readonly page: Page) {}

  /** The headset sends an input report (bytes without the report id); false while closed. */
  input(deviceId: string, reportId: number, bytes: number[]): Promise<boolean> {
    return this.page.evaluate(
      ([d, r, b]) => (window as unknown as Controls).__fakeHid.input(d, r, b),
      [deviceId, reportId, bytes] as const,
    );
  }

  /** A button press: the report with `pressed`, then the report with `released`. */
  async press(deviceId: string, reportId: number, pressed: number[], released: number[]) {
    await this.input(deviceId, reportId, pressed);
    await this.input(deviceId, reportId, released);
  }

  /** Output reports the headset received, in order. */
  sent(deviceId: string): Promise<SentReport[]> {
    return this.page.evaluate((d) => (window as unknown as Controls).__fakeHid.sent(d), deviceId);
  }

  /** The last output report with `reportId`, or null. */
  async lastSent(deviceId: string, reportId: number): Promise<number[] | null> {
    const sent = await this.sent(deviceId);
    return sent.filter((r) => r.reportId === reportId).at(-1)?.bytes ?? null;
  }

  opened(deviceId: string): Promise<boolean> {
    return this.page.evaluate((d) => (window as unknown as Controls).__fakeHid.opened(d), deviceId);
  }

  plug(deviceId: string): Promise<void> {
    return this.page.evaluate((d) => (window as unknown as Controls).__fakeHid.plug(d), deviceId);
  }

  unplug(deviceId: string): Promise<void> {
    return this.page.evaluate((d) => (window as unknown as Controls).__fakeHid.unplug(d), deviceId);
  }
}

/**
 * Installs the fake headsets into `page` (call before it loads), answered by `bridge`'s real
 * main-side headset code. The devices are the same on every load of the page.
 */
export async function installFakeHeadsets(
  page: Page,
  bridge: TestBridge,
  specs: FakeHeadsetSpec[],
): Promise<PageHeadsets> {
  await page.exposeBinding('__hidSelect', (source, devices: MainHidDevice[]) =>
    bridge.selectHidDevice(devices, source.frame.url()),
  );
  await page.exposeBinding('__hidPermission', (source, device: MainHidDevice) =>
    bridge.hidPermission(device, new URL(source.frame.url()).origin),
  );
  await page.exposeBinding('__hidRevoked', (_source, device: MainHidDevice) =>
    bridge.hidRevoked(device),
  );
  const config = JSON.stringify({ devices: specs.map(configOf) });
  await page.addInitScript(`window.__fakeHidConfig = ${config};\n${await pageScript()}`);
  return new PageHeadsets(page);
}
