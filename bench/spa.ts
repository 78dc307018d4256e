/**
 * The SPA in Chromium, driven over the DevTools protocol (Playwright's CDP sessions): the stack as
 * e2e/stack.ts starts it (built SPA served by the Functions app), the general room seeded with
 * 10,000 messages, then
 * - time from navigation to the newest message shown, with a cold cache (new profile) and a warm one
 *   (reload in the same context), and what crossed the network for each: compressed (as Chromium
 *   asks) and uncompressed (accepting no encoding), on loopback and at a slow mobile profile
 *   (network and CPU emulated over CDP);
 * - frame times while scrolling back through the room (requestAnimationFrame intervals, p50/p95/max)
 *   and the DOM's message nodes on the way;
 * - the JS heap (after a forced GC) once 2,000 messages have been scrolled through.
 * Needs `npm run build:spa` first; run with `npm run bench -- --spa` (also part of `--full`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';

import { type Browser, type CDPSession, chromium, type Page } from '@playwright/test';

import { freePort } from '../local/stack/ports';
import { startStack } from '../local/stack/stack';
import { chromePath, CHROMIUM_FLAGS } from '../local/testing/chromium';
import { type LatencySummary, round, summarize } from './common';

/** How the browser asks: with Accept-Encoding as Chromium sends it, or accepting no encoding. */
export type SpaEncoding = 'compressed' | 'uncompressed';
/** Loopback as is, or Chromium's network and CPU emulated at a slow mobile profile. */
export type SpaNetwork = 'loopback' | 'slow-mobile';

/** About Chromium's "Slow 4G" preset: 1.6 Mbps down, 750 kbps up, 150 ms round trip, a 4× slower CPU. */
export const SLOW_MOBILE = {
  downloadBitsPerSecond: 1_600_000,
  uploadBitsPerSecond: 750_000,
  latencyMs: 150,
  cpuSlowdown: 4,
};

export interface SpaLoad {
  cache: 'cold' | 'warm';
  encoding: SpaEncoding;
  network: SpaNetwork;
  /** Navigation start to the newest seeded message visible. */
  newestShownMs: number;
  /** Navigation start to DOMContentLoaded / load (Navigation Timing). */
  domContentLoadedMs: number;
  loadMs: number;
  /** Bytes over the wire (CDP encodedDataLength) of everything fetched until the newest message showed. */
  transferBytes: number;
  /** Of those, the initial scripts, styles and the document (what the bundle budget counts). */
  initialTransferBytes: number;
  /** The same files brotli-compressed at the default level (what the bundle budget counts). */
  initialBrotliBytes: number;
  requests: number;
  fromCache: number;
  /**
   * Where the time to the newest message went (Resource Timing, ms from navigation start): the
   * document, the last initial script or style, the session (`/api/me`) and the room's newest page
   * each fully received. Undefined where that request was not made (a warm load's cached script).
   */
  milestones: { documentMs?: number; initialFilesMs?: number; sessionMs?: number; historyMs?: number };
}

export interface SpaResult {
  messages: number;
  chromium: string;
  loads: SpaLoad[];
  /** Compressed over uncompressed, same run: cold bytes over the wire (loopback), newest shown cold (slow mobile). */
  compression: { coldBytesRatio: number; slowNewestShownRatio: number };
  scroll: {
    /** Messages scrolled back through (oldest shown at the end, counted from the newest). */
    messagesScrolled: number;
    seconds: number;
    frames: number;
    /** requestAnimationFrame intervals while scrolling, ms (16.7 = every vsync made). */
    frameMs: LatencySummary;
    /** Work per frame: rAF callback to a task posted from it, i.e. script + style + layout + paint, ms. */
    frameWorkMs: LatencySummary;
    /** Share of frames longer than 16.7 ms. */
    longFrameShare: number;
    maxMessageNodes: number;
  };
  /** JS heap used after a forced GC, before and after scrolling. */
  heapBeforeBytes: number;
  heapAfterScrollBytes: number;
  domNodesAfterScroll: number;
  notes: string[];
}

/** What the page keeps while frames are recorded. */
interface Frames {
  __frames: number[];
  /** Per frame: from its requestAnimationFrame callback to a task queued from it (after style, layout, paint). */
  __work: number[];
  __framing: boolean;
}

const NEWEST_TEXT = (n: number): string => `archived ${n - 1}`;

interface NewestWatch {
  __newestShownAt?: number;
}

/**
 * Run in every page before its scripts: records `performance.now()` in the frame in which a message
 * with `text` first appears (a MutationObserver sees the insertion; the next animation frame is the
 * one that paints it).
 */
function watchNewest(text: string): void {
  const w = globalThis as unknown as NewestWatch & {
    document: { documentElement: object; querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
    MutationObserver: new (cb: () => void) => { observe(n: object, o: object): void; disconnect(): void };
    requestAnimationFrame(cb: (t: number) => void): number;
  };
  const observer = new w.MutationObserver(() => {
    const shown = Array.from(w.document.querySelectorAll('[data-testid="message-text"]')).some(
      (element) => element.textContent?.trim() === text,
    );
    if (!shown) return;
    observer.disconnect();
    w.requestAnimationFrame(() => (w.__newestShownAt = performance.now()));
  });
  observer.observe(w.document.documentElement, { childList: true, subtree: true, characterData: true });
}

async function signIn(page: Page, name: string): Promise<void> {
  await page.getByTestId('sign-in').click();
  await page.getByLabel(/name/i).fill(name);
  await page.getByRole('button', { name: /sign in|continue/i }).click();
  await page.getByTestId('current-user').filter({ hasText: name }).waitFor();
}

/** Watches the network of one page load over CDP. */
function network(cdp: CDPSession): {
  stop(): { bytes: number; initial: number; initialUrls: string[]; requests: number; cached: number };
} {
  const initialUrls: string[] = [];
  const types = new Map<string, string>();
  const urls = new Map<string, string>();
  let bytes = 0;
  let initial = 0;
  let requests = 0;
  let cached = 0;
  let documentSeen = false;
  cdp.on('Network.responseReceived', (e) => {
    types.set(e.requestId, e.type);
    urls.set(e.requestId, e.response.url);
    if (e.response.fromDiskCache || (e.response as { fromMemoryCache?: boolean }).fromMemoryCache) cached++;
  });
  cdp.on('Network.requestWillBeSent', () => {
    requests++;
  });
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const type = types.get(e.requestId);
    // The document and the scripts and styles it names; not lazy chunks or API calls.
    if (type === 'Document') documentSeen = true;
    if (
      type === 'Document' ||
      ((type === 'Script' || type === 'Stylesheet') && documentSeen && !/chunk-/.test(urls.get(e.requestId) ?? ''))
    ) {
      initial += e.encodedDataLength;
      initialUrls.push(urls.get(e.requestId) ?? '');
    }
  });
  return { stop: () => ({ bytes, initial, initialUrls, requests, cached }) };
}

async function measureLoad(
  page: Page,
  cdp: CDPSession,
  url: string,
  messages: number,
  cache: SpaLoad['cache'],
  encoding: SpaEncoding,
  profile: SpaNetwork,
): Promise<SpaLoad> {
  const watch = network(cdp);
  await page.goto(url, { waitUntil: 'commit' });
  await page
    .getByTestId('message-text')
    .filter({ hasText: new RegExp(`^\\s*${NEWEST_TEXT(messages)}\\s*$`) })
    .waitFor({ timeout: 60_000 });
  // When the page itself first had it in the DOM (watchNewest), not when this process noticed:
  // polling from outside lags behind the page's long tasks, more so with the CPU slowed down.
  const shown = await page.evaluate(() => (globalThis as unknown as NewestWatch).__newestShownAt ?? performance.now());
  const timing = await page.evaluate(() => {
    const entries = (performance as unknown as { getEntriesByType(type: string): unknown[] }).getEntriesByType(
      'navigation',
    );
    const nav = entries[0] as { domContentLoadedEventEnd?: number; loadEventEnd?: number } | undefined;
    return { dcl: nav?.domContentLoadedEventEnd ?? 0, load: nav?.loadEventEnd ?? 0 };
  });
  const net = watch.stop();
  const milestones = await page.evaluate((initial) => {
    const perf = performance as unknown as {
      getEntriesByType(type: string): { name: string; responseEnd: number }[];
    };
    const ends = perf.getEntriesByType('resource');
    const last = (match: (name: string) => boolean) => {
      const times = ends.filter((e) => match(e.name)).map((e) => e.responseEnd);
      return times.length > 0 ? Math.round(Math.max(...times)) : undefined;
    };
    const document = perf.getEntriesByType('navigation')[0]?.responseEnd;
    return {
      documentMs: document === undefined ? undefined : Math.round(document),
      initialFilesMs: last((name) => initial.includes(name)),
      sessionMs: last((name) => new URL(name).pathname === '/api/me'),
      historyMs: last((name) => /\/api\/rooms\/[^/]+\/messages/.test(new URL(name).pathname)),
    };
  }, net.initialUrls);
  if (process.env.HUBBUB_BENCH_SPA_RESOURCES) {
    const rows = await page.evaluate(() =>
      (
        performance.getEntriesByType('resource') as unknown as {
          name: string;
          startTime: number;
          responseEnd: number;
          transferSize: number;
          initiatorType: string;
        }[]
      ).map((e) => [
        e.name.replace(/^https?:\/\/[^/]+/, ''),
        Math.round(e.startTime),
        Math.round(e.responseEnd),
        e.transferSize,
        e.initiatorType,
      ]),
    );
    console.log(`--- ${profile} ${encoding} ${cache} shown ${shown}`);
    for (const r of rows) console.log(r.join('\t'));
  }
  let initialBrotliBytes = 0;
  for (const resource of net.initialUrls) {
    const body = Buffer.from(await (await fetch(resource)).arrayBuffer());
    initialBrotliBytes += brotliCompressSync(body).length;
  }
  return {
    cache,
    encoding,
    network: profile,
    newestShownMs: round(shown),
    domContentLoadedMs: round(timing.dcl),
    loadMs: round(timing.load),
    transferBytes: net.bytes,
    initialTransferBytes: net.initial,
    initialBrotliBytes,
    requests: net.requests,
    fromCache: net.cached,
    milestones,
  };
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return usage.usedSize;
}

export async function runSpa(root: string, log: (line: string) => void, messages = 10_000): Promise<SpaResult> {
  if (!existsSync(join(root, 'dist', 'spa', 'browser', 'index.html'))) {
    throw new Error('no built SPA in dist/spa/browser: run `npm run build:spa` first');
  }
  await mkdir(join(root, '.data'), { recursive: true });
  const dataDir = await mkdtemp(join(root, '.data', 'bench-spa-'));
  const stack = await startStack({
    root,
    dataDir,
    ports: { spa: 0, functions: await freePort(), signalr: await freePort(), tables: await freePort() },
    spa: 'static',
    values: { HUBBUB_AUTH_SECRET: randomBytes(32).toString('hex') },
    log: () => undefined,
  });
  let browser: Browser | undefined;
  const notes: string[] = [];
  try {
    // Seed through the same store code the Functions use, straight into this stack's Azurite.
    const { STORAGE_SETTING } = await import('../functions/platform/storage/tables.js');
    process.env[STORAGE_SETTING] = stack.storageConnectionString;
    const { importMessages } = await import('../functions/testing/seed.js');
    const start = Date.now() - messages * 1000;
    await importMessages(
      'general',
      Array.from({ length: messages }, (_, i) => ({
        id: randomUUID(),
        room: 'general',
        text: `archived ${i}`,
        sender: { id: 'dev-archivist', name: 'Archivist' },
        sentAt: new Date(start + i * 1000).toISOString(),
      })),
    );
    log(`SPA: seeded ${messages} messages into general`);

    browser = await chromium.launch({ executablePath: chromePath(), args: CHROMIUM_FLAGS });
    const version = browser.version();
    const loads: SpaLoad[] = [];
    // Sign in once; the session cookie is reused by the measured contexts.
    const setup = await browser.newContext();
    const setupPage = await setup.newPage();
    await setupPage.goto(stack.urls.app);
    await signIn(setupPage, 'Bench');
    const state = await setup.storageState();
    await setup.close();

    // Cold: a fresh context (empty HTTP cache) with the session; warm: reload in that context.
    // Each network profile loads the app compressed and uncompressed side by side, in turn.
    const openContext = async (encoding: SpaEncoding, network: SpaNetwork) => {
      const context = await browser!.newContext({ storageState: state, viewport: { width: 1280, height: 800 } });
      await context.addInitScript(watchNewest, NEWEST_TEXT(messages));
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      // Accepting no encoding is what a server that does not compress amounts to.
      if (encoding === 'uncompressed') {
        await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
      }
      if (network === 'slow-mobile') {
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: SLOW_MOBILE.latencyMs,
          downloadThroughput: SLOW_MOBILE.downloadBitsPerSecond / 8,
          uploadThroughput: SLOW_MOBILE.uploadBitsPerSecond / 8,
        });
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW_MOBILE.cpuSlowdown });
      }
      return { context, page, cdp };
    };
    for (const network of ['slow-mobile', 'loopback'] as const) {
      for (const encoding of ['uncompressed', 'compressed'] as const) {
        const { context, page, cdp } = await openContext(encoding, network);
        loads.push(await measureLoad(page, cdp, stack.urls.app, messages, 'cold', encoding, network));
        loads.push(await measureLoad(page, cdp, stack.urls.app, messages, 'warm', encoding, network));
        await context.close();
      }
    }
    const { context, page, cdp } = await openContext('compressed', 'loopback');
    await cdp.send('HeapProfiler.enable');
    loads.push(await measureLoad(page, cdp, stack.urls.app, messages, 'cold', 'compressed', 'loopback'));
    loads.push(await measureLoad(page, cdp, stack.urls.app, messages, 'warm', 'compressed', 'loopback'));
    for (const l of loads)
      log(
        `SPA ${l.network} ${l.encoding} ${l.cache}: newest shown at ${l.newestShownMs} ms (document ${l.milestones.documentMs ?? '–'}, initial files ${l.milestones.initialFilesMs ?? '–'}, session ${l.milestones.sessionMs ?? '–'}, newest page ${l.milestones.historyMs ?? '–'} ms), ${l.transferBytes} B over the wire (initial ${l.initialTransferBytes} B, brotli ${l.initialBrotliBytes} B)`,
      );
    const pick = (cache: SpaLoad['cache'], encoding: SpaEncoding, network: SpaNetwork) =>
      loads.find((l) => l.cache === cache && l.encoding === encoding && l.network === network);
    const ratio = (a: number | undefined, b: number | undefined) => (a && b ? round(a / b, 3) : 0);
    const compression = {
      coldBytesRatio: ratio(
        pick('cold', 'compressed', 'loopback')?.transferBytes,
        pick('cold', 'uncompressed', 'loopback')?.transferBytes,
      ),
      slowNewestShownRatio: ratio(
        pick('cold', 'compressed', 'slow-mobile')?.newestShownMs,
        pick('cold', 'uncompressed', 'slow-mobile')?.newestShownMs,
      ),
    };
    log(
      `SPA compression: cold bytes ${compression.coldBytesRatio}x, newest shown (slow mobile, cold) ${compression.slowNewestShownRatio}x`,
    );

    const heapBeforeBytes = await heapUsed(cdp);
    // Scroll back: wheel steps over the list, loading older pages as the top is reached, while a
    // requestAnimationFrame loop records every frame interval.
    const list = page.getByTestId('message-list');
    const box = await list.boundingBox();
    if (!box) throw new Error('no message list');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.evaluate(() => {
      const w = globalThis as unknown as Frames & { requestAnimationFrame(cb: (t: number) => void): number };
      w.__frames = [];
      w.__work = [];
      w.__framing = true;
      let last = performance.now();
      const channel = new MessageChannel();
      let started = 0;
      (channel.port1 as unknown as { onmessage: () => void }).onmessage = () =>
        w.__work.push(performance.now() - started);
      const tick = (t: number): void => {
        w.__frames.push(t - last);
        last = t;
        started = performance.now();
        channel.port2.postMessage(0);
        if (w.__framing) w.requestAnimationFrame(tick);
      };
      w.requestAnimationFrame(tick);
    });
    const oldestShown = async (): Promise<number> =>
      Number((await page.getByTestId('message-text').first().textContent())?.replace(/\D/g, '') ?? messages);
    const target = messages - 2000;
    const scrollStart = Date.now();
    let maxNodes = 0;
    let oldest = await oldestShown();
    while (oldest > target && Date.now() - scrollStart < 120_000) {
      for (let i = 0; i < 10; i++) {
        await page.mouse.wheel(0, -400);
        await page.waitForTimeout(16);
      }
      const loadOlder = page.getByTestId('load-older');
      if (await loadOlder.isVisible().catch(() => false)) {
        if (await loadOlder.isEnabled().catch(() => false)) await loadOlder.click().catch(() => undefined);
      }
      maxNodes = Math.max(maxNodes, await page.getByTestId('message').count());
      oldest = await oldestShown();
    }
    const seconds = (Date.now() - scrollStart) / 1000;
    const recorded = await page.evaluate(() => {
      const w = globalThis as unknown as Frames;
      w.__framing = false;
      return { intervals: w.__frames.slice(1), work: w.__work.slice(1) };
    });
    const frames = recorded.intervals;
    const frameWorkMs = summarize(recorded.work);
    if (oldest > target) notes.push(`scrolling stopped after 120 s at message ${oldest} (target ${target})`);
    const heapAfterScrollBytes = await heapUsed(cdp);
    const domNodesAfterScroll = await page.evaluate(
      () =>
        (
          globalThis as unknown as { document: { getElementsByTagName(t: string): { length: number } } }
        ).document.getElementsByTagName('*').length,
    );
    const frameMs = summarize(frames);
    const result: SpaResult = {
      messages,
      chromium: version,
      loads,
      compression,
      scroll: {
        messagesScrolled: messages - oldest,
        seconds: round(seconds, 1),
        frames: frames.length,
        frameMs,
        frameWorkMs,
        longFrameShare: round(frames.filter((f) => f > 16.7).length / Math.max(1, frames.length), 3),
        maxMessageNodes: maxNodes,
      },
      heapBeforeBytes,
      heapAfterScrollBytes,
      domNodesAfterScroll,
      notes,
    };
    log(
      `SPA scroll: ${result.scroll.messagesScrolled} messages in ${result.scroll.seconds} s, ${frames.length} frames, ` +
        `interval p50 ${frameMs.p50} p95 ${frameMs.p95} max ${frameMs.max} ms, work p50 ${frameWorkMs.p50} p95 ${frameWorkMs.p95} max ${frameWorkMs.max} ms; heap ${heapBeforeBytes} → ${heapAfterScrollBytes} B; ` +
        `most message nodes ${maxNodes}`,
    );
    await context.close();
    return result;
  } finally {
    await browser?.close();
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
