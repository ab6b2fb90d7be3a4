/**
 * Console benchmark.
 *  - Initial JS: the entry script of apps/console/dist/index.html, the boot module it imports
 *    and their static imports, each gzipped (node:zlib, level 9), summed.
 *  - In Debian's Chromium (/usr/bin/chromium, driven by @playwright/test) against the built
 *    Berth on a SQLite store seeded by bench/seed.ts (10,000 images, 100,000 tags, the
 *    10,000-tag image `many-tags`): sign in once (POST /api/v1/auth/login in the browser
 *    context, so the session cookie is shared), then for each run open a fresh page and take
 *    two times from navigation start: when the first row was painted (Chromium's Element
 *    Timing entry of the link the console names `first-row`: when a person sees it), and
 *    when the page was live (`<html data-console="ready">`: hydrated, its controls work),
 *    counting the requests to `/api/` the page made until then.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { createSqliteStore } from '@berth/store';
import { startBuiltBerth, startDistribution } from '@berth/testkit';
import { BIG_IMAGE, DEFAULT_SEED, SEED_REPOSITORY, seedStore, type SeedResult } from './seed.ts';

const DIST = 'apps/console/dist';
const ADMIN = { username: 'admin', password: 'bench-admin-password' };

export interface BundleResult {
  files: { file: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
}

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/**
 * The code a page loads before any page chunk, gzipped at level 9: the entry script
 * (`index.html`'s), the console's boot module it imports once the page has painted, and
 * every module either imports statically — read from Vite's manifest (dist/.vite/manifest.json).
 * The route modules (one per page, lazy) are not counted.
 */
export function initialJs(dist = DIST): BundleResult {
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error(`${dist}/.vite/manifest.json: no entry chunk`);
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const k of chunk.imports ?? []) visit(k);
  };
  visit(entryKey);
  // The entry's own dynamic imports are the boot module (it loads on every page).
  for (const k of manifest[entryKey]!.dynamicImports ?? []) visit(k);
  const list = [...files].map((file) => {
    const bytes = fs.readFileSync(path.join(dist, file));
    return { file, bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes, { level: 9 }).length };
  });
  return { files: list, gzipBytes: list.reduce((s, f) => s + f.gzipBytes, 0) };
}

export interface PageResult {
  name: string;
  path: string;
  runs: number;
  /** Navigation start to the first row painted (Chromium's Element Timing), per load. */
  paintMs: number[];
  paintP50: number;
  paintMax: number;
  /** Navigation start to the page being live (hydrated: its controls work), per load. */
  liveMs: number[];
  liveP50: number;
  liveMax: number;
  maxRequests: number;
  /** The /api/ requests (method and path) until the page was live, of the run with the most. */
  requests: string[];
}

export interface ConsoleResult {
  bundle: BundleResult;
  seed: SeedResult;
  chromium: string;
  pages: PageResult[];
}

const median = (sorted: number[]) => sorted[Math.ceil(sorted.length / 2) - 1]!;
const round = (ms: number) => Math.round(ms);

/**
 * Runs in each page before its own scripts: collects the paint times of elements named with
 * `elementtiming` (the console names a list's first row `first-row`) into `__berthPaints`.
 */
const RECORD_ELEMENT_TIMING = `
  window.__berthPaints = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__berthPaints[e.identifier] ??= e.renderTime || e.loadTime;
  }).observe({ type: 'element', buffered: true });
`;

/**
 * Runs in each page before its own scripts: records in `__berthLive` when the page became
 * live, from navigation start (the console sets `<html data-console="ready">` once it has
 * hydrated or rendered the page: its controls work from then on).
 */
const RECORD_LIVE = `
  new MutationObserver((_, observer) => {
    if (document.documentElement?.dataset.console !== 'ready') return;
    window.__berthLive = performance.now();
    observer.disconnect();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-console'] });
`;

async function measurePage(browser: Browser, base: string, name: string, urlPath: string, selector: string, runs: number): Promise<PageResult> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(RECORD_ELEMENT_TIMING);
  await context.addInitScript(RECORD_LIVE);
  try {
    const login = await context.request.post('/api/v1/auth/login', { data: ADMIN });
    if (!login.ok()) throw new Error(`sign-in: ${login.status()} ${await login.text()}`);
    const liveMs: number[] = [];
    const paintMs: number[] = [];
    let most: string[] = [];
    // One warm-up run (not counted): Chromium's first start of a renderer, disk cache.
    for (let run = -1; run < runs; run++) {
      const page = await context.newPage();
      const requests: string[] = [];
      let counting = true;
      page.on('request', (req) => {
        const u = new URL(req.url());
        if (counting && u.pathname.startsWith('/api/')) requests.push(`${req.method()} ${u.pathname}${u.search}`);
      });
      await page.goto(urlPath, { waitUntil: 'commit' });
      const inPage = (read: () => unknown) => page.waitForFunction(read, null, { timeout: 30_000 }).then(async (handle) => Number(await handle.jsonValue()));
      // The paint entry is queued after the frame that painted it.
      const painted = await inPage(() => (globalThis as unknown as { __berthPaints: Record<string, number> }).__berthPaints['first-row']);
      const live = await inPage(() => (globalThis as unknown as { __berthLive?: number }).__berthLive);
      counting = false;
      if (!(await page.locator(selector).first().isVisible())) throw new Error(`${urlPath}: no ${selector} shown once the page was live`);
      await page.close();
      if (run < 0) continue;
      liveMs.push(live);
      paintMs.push(painted);
      if (requests.length >= most.length) most = requests;
    }
    const lives = [...liveMs].sort((a, b) => a - b);
    const paints = [...paintMs].sort((a, b) => a - b);
    return {
      name,
      path: urlPath,
      runs,
      paintMs: paintMs.map(round),
      paintP50: round(median(paints)),
      paintMax: round(paints[paints.length - 1]!),
      liveMs: liveMs.map(round),
      liveP50: round(median(lives)),
      liveMax: round(lives[lives.length - 1]!),
      maxRequests: most.length,
      requests: most,
    };
  } finally {
    await context.close();
  }
}

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/**
 * Chromium's own browser UI that it prepares in the background for every new window: the
 * address bar's popup is a web page (chrome://omnibox-popup.top-chrome) that Chromium loads
 * into a renderer of its own ahead of use. Headless, every `newPage()` is a new window, so each
 * measured load shared the machine's two CPUs with that renderer (in a trace of one load it ran
 * about 1.3 s of CPU time while the console's page ran 0.7 s). A person opening Berth in a tab
 * has that popup loaded once, long before; the bench turns the preloading off.
 */
const CHROMIUM_UI_PRELOADS = ['PreloadTopChromeWebUI', 'WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/**
 * Chromium honours only the last `--disable-features` on its command line, and Playwright
 * passes its own list first: the bench reads that list off a launch and passes it back,
 * with the UI preloads added, as the last one.
 */
export async function launchChromium(): Promise<Browser> {
  const probe = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let playwrights: string[];
  try {
    const arg = probe.process().spawnargs.findLast((a) => a.startsWith('--disable-features='));
    playwrights = arg ? arg.slice('--disable-features='.length).split(',').filter(Boolean) : [];
  } finally {
    await probe.close();
  }
  const disabled = [...new Set([...playwrights, ...CHROMIUM_UI_PRELOADS])];
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--disable-features=${disabled.join(',')}`] });
}

export async function consoleBench(opts: { runs: number; log?: (line: string) => void }): Promise<ConsoleResult> {
  const bundle = initialJs();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-console-'));
  const upstream = await startDistribution();
  let berth: Awaited<ReturnType<typeof startBuiltBerth>> | undefined;
  let browser: Browser | undefined;
  try {
    const dataDir = path.join(work, 'berth');
    fs.mkdirSync(dataDir, { recursive: true });
    const store = createSqliteStore(path.join(dataDir, 'berth.db'));
    let seed: SeedResult;
    try {
      await store.migrate();
      seed = await seedStore(store, DEFAULT_SEED);
    } finally {
      await store.close();
    }
    opts.log?.(`  sqlite: seeded in ${seed.seconds} s (${JSON.stringify(seed.rows)})`);
    berth = await startBuiltBerth(
      {
        BERTH_DATA_DIR: dataDir,
        BERTH_UPSTREAM_URL: upstream.url,
        BERTH_ADMIN_PASSWORD: ADMIN.password,
        // The upstream is empty: a reconciliation would remove every seeded image.
        BERTH_RECONCILE_ON_START: 'false',
        BERTH_RECONCILE_INTERVAL_MINUTES: '0',
        BERTH_LOG_LEVEL: process.env.BENCH_BERTH_LOG ?? 'warn',
      },
      { showLogs: Boolean(process.env.BENCH_BERTH_LOG) },
    );
    browser = await launchChromium();
    const repo = `/repositories/${SEED_REPOSITORY}`;
    const pages = [
      await measurePage(browser, berth.url, '10,000-tag image: first artifact row', `${repo}/images/${BIG_IMAGE}`, '[data-testid=artifact-row]', opts.runs),
      await measurePage(browser, berth.url, 'image list (10,000 images): first row', repo, `table tbody tr a[href*="/images/"]`, opts.runs),
    ];
    return { bundle, seed, chromium: browser.version(), pages };
  } finally {
    await browser?.close();
    await berth?.stop();
    await upstream.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
