import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Me, Page } from '@berth/api';
import { skopeoCopy, writeImageLayout } from '@berth/testkit';
import { ADMIN_PASSWORD, repositoryWithUser, startBerth, type RunningBerth, startUpstream, type Upstream } from './harness.ts';

/** The state block a server-rendered page carries. */
const stateOf = (html: string) => {
  const m = /<script type="application\/json" id="berth-state">([^]*?)<\/script>/.exec(html);
  return m ? (JSON.parse(m[1]!) as { language: string; queries: { queries: { queryKey: unknown[]; state: { data: unknown } }[] } }) : null;
};

/**
 * The console's pages as the server sends them: with a session, the first screen is in
 * the HTML (rows and data for the browser to hydrate); without one, or when the page fails,
 * the plain page the browser renders itself.
 */
describe('console pages rendered by the server', () => {
  let registry: Upstream;
  let berth: RunningBerth;
  let work: string;
  let cookie: string;
  let digest: string;
  const DESCRIPTION = 'Web app </script><script>alert("x")</script> <!-- & "quotes"';

  const page = (p: string, headers: Record<string, string> = {}) => fetch(`${berth.url}${p}`, { headers, redirect: 'manual' });
  const signIn = async (username: string, password: string) => {
    const res = await fetch(`${berth.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-render-'));
    registry = await startUpstream();
    berth = await startBerth(registry.url);
    const secret = await repositoryWithUser(berth, 'web', 'ci', 'push');
    const layout = await writeImageLayout(path.join(work, 'img'), { tag: '1.0', layers: [{ files: { 'a.txt': 'render' } }] });
    digest = layout.manifestDigest;
    await skopeoCopy(`oci:${path.join(work, 'img')}:1.0`, `docker://${berth.host}/web/app:1.0`, { destCreds: { username: 'web', password: secret } });
    expect((await berth.api('PATCH', '/repositories/web/images/app', { description: DESCRIPTION })).status).toBe(200);
    cookie = await signIn('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('puts the first artifact rows of an image page in the HTML, with the data they were rendered from', async () => {
    const res = await page('/repositories/web/images/app', { cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toMatch(new RegExp(`<tr[^>]*data-testid="artifact-row"[^>]*data-digest="${digest}"`));
    const state = stateOf(html)!;
    expect(state.language).toBe('en');
    const artifacts = state.queries.queries.find((q) => JSON.stringify(q.queryKey).includes('artifacts'));
    const pages = (artifacts!.state.data as { pages: Page<Artifact>[] }).pages;
    expect(pages[0]!.items.map((a) => [a.digest, a.tags])).toEqual([[digest, ['1.0']]]);
    const me = state.queries.queries.find((q) => JSON.stringify(q.queryKey).includes('me'));
    expect((me!.state.data as Me).username).toBe('admin');
  });

  it('escapes what users wrote, in the markup and in the state block', async () => {
    const html = await (await page('/repositories/web/images/app?tab=details', { cookie })).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<!-- &');
    // The state block holds the exact text, and one closing tag ends it.
    const block = /<script type="application\/json" id="berth-state">([^]*?)<\/script>/.exec(html)![1]!;
    expect(block).not.toContain('<');
    expect(JSON.stringify(stateOf(html))).toContain(JSON.stringify(DESCRIPTION).slice(1, -1));
    expect(html).toContain('Web app &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('renders the repository image list, in the language the visitor chose', async () => {
    const en = await (await page('/repositories/web', { cookie })).text();
    expect(en).toMatch(/<a[^>]*href="\/repositories\/web\/images\/app"/);
    expect(en).toContain('<html lang="en"');
    const vi = await (await page('/repositories/web', { cookie: `${cookie}; berth_language=vi` })).text();
    expect(vi).toContain('<html lang="vi"');
    expect(stateOf(vi)!.language).toBe('vi');
    expect(vi).toContain('Kho');
    const byHeader = await (await page('/repositories/web', { cookie, 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.5' })).text();
    expect(stateOf(byHeader)!.language).toBe('vi');
  });

  it('serves the plain page without a session, with a bad one, and when the page fails to load', async () => {
    for (const [p, headers] of [
      ['/repositories/web/images/app', {}],
      ['/repositories/web/images/app', { cookie: 'berth_session=forged' }],
      ['/repositories/web/images/missing', { cookie }],
      ['/repositories/nope', { cookie }],
    ] as const) {
      const res = await page(p, headers);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('cache-control'), p).toBe('no-cache');
      const html = await res.text();
      expect(stateOf(html), p).toBeNull();
      expect(html, p).toContain('<div id="root"></div>');
    }
  });

  it('lets a browser revalidate the plain page (304 while the build is the same), and tags no API answer', async () => {
    const first = await page('/repositories/web/images/app', {});
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"[\w-]{27}"$/);
    // As a browser revalidates (fetch would add `cache-control: no-cache` to a conditional request by itself).
    const again = await page('/repositories/web/images/app', { 'if-none-match': tag!, 'cache-control': 'max-age=0' });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const rendered = await page('/repositories/web/images/app', { cookie });
    expect(rendered.headers.get('cache-control')).toBe('no-store');
    expect(rendered.headers.get('etag')).toBeNull();
    const api = await fetch(`${berth.url}/api/v1/repositories`, { headers: { cookie } });
    expect(api.status).toBe(200);
    expect(api.headers.get('etag')).toBeNull();
  });

  it('shows a viewer the same rows, without the admin-only description editor', async () => {
    expect((await berth.api('POST', '/accounts', { username: 'watcher', password: 'watcher-password', role: 'viewer' })).status).toBe(201);
    const viewer = await signIn('watcher', 'watcher-password');
    const list = await (await page('/repositories/web/images/app', { cookie: viewer })).text();
    expect(list).toContain(`data-digest="${digest}"`);
    const details = await (await page('/repositories/web/images/app?tab=details', { cookie: viewer })).text();
    expect(stateOf(details)).not.toBeNull();
    expect(details).not.toContain('Edit the description');
    const adminDetails = await (await page('/repositories/web/images/app?tab=details', { cookie })).text();
    expect(adminDetails).toContain('Edit the description');
  });
});
