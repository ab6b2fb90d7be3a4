import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { SESSION_COOKIE } from './auth.ts';

/** The console's server render (apps/console/src/entry-server.tsx, built into dist/.ssr/). */
export interface ConsoleRenderer {
  render(req: {
    url: string;
    cookie?: string;
    acceptLanguage?: string;
    fetch: (url: string, init: RequestInit) => Promise<Response>;
    signal?: AbortSignal;
  }): Promise<{ kind: 'page'; html: string; state: string; language: string } | { kind: 'shell' }>;
}

/** How long the server render may wait on Berth's own API before the browser is left to render. */
const RENDER_TIMEOUT_MS = 5_000;
const ROOT = '<div id="root"></div>';

/** Loads the console's server render, when the console was built with it. */
export async function loadConsoleRenderer(consoleDir: string): Promise<ConsoleRenderer | null> {
  const entry = path.join(consoleDir, '.ssr', 'entry-server.js');
  if (!fs.existsSync(entry)) return null;
  const mod = (await import(pathToFileURL(entry).href)) as Partial<ConsoleRenderer>;
  return typeof mod.render === 'function' ? { render: mod.render } : null;
}

export interface ConsoleOptions {
  consoleDir: string;
  security: RequestHandler;
  renderer: ConsoleRenderer | null;
  /** Berth's own address (loopback), which the server render sends the visitor's API calls to. */
  selfUrl: () => string;
}

/**
 * The console: hashed assets (cached for a year), other static files, and every other path
 * answered with the app's page. With the server render, that page already holds the first
 * screen (its data included, for the browser to hydrate): the visitor's session is sent
 * along to Berth's own API, nothing else is. A request without a session cookie (signed
 * out, or a link followed from another site: the cookie is SameSite=Strict), a page that
 * fails to load (a 404, an expired session) or a failed render gets the plain page, which
 * the browser renders itself and sends to sign-in when needed, as without a server render.
 */
export function consoleRoutes(opts: ConsoleOptions): Router {
  const index = fs.readFileSync(path.join(opts.consoleDir, 'index.html'), 'utf8');
  if (!index.includes(ROOT)) throw new Error(`${opts.consoleDir}/index.html has no ${ROOT}`);
  const shellTag = `"${createHash('sha256').update(index).digest('base64url').slice(0, 27)}"`;
  const r = express.Router();
  r.use(opts.security);
  r.use('/assets', express.static(path.join(opts.consoleDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  r.use(express.static(opts.consoleDir, { index: false }));

  const shell = (res: express.Response) => {
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('etag', shellTag); // revalidated: 304 while the build is the same
    res.type('html').send(index);
  };

  r.get('/{*path}', async (req, res) => {
    if (!opts.renderer || !hasSession(req)) return shell(res);
    let result: Awaited<ReturnType<ConsoleRenderer['render']>>;
    try {
      result = await opts.renderer.render({
        url: req.originalUrl,
        cookie: req.headers.cookie,
        acceptLanguage: req.headers['accept-language'],
        fetch: visitorFetch(req, opts.selfUrl()),
        signal: AbortSignal.timeout(RENDER_TIMEOUT_MS),
      });
    } catch (err) {
      req.log.warn({ err }, 'console server render failed; serving the page to render in the browser');
      return shell(res);
    }
    if (result.kind !== 'page') return shell(res);
    // The page holds the visitor's own data: never stored by a cache.
    res.setHeader('cache-control', 'no-store');
    res.type('html').send(
      index
        .replace(/<html lang="[^"]*"/, `<html lang="${result.language}"`)
        .replace(ROOT, `<div id="root">${result.html}</div><script type="application/json" id="berth-state">${result.state}</script>`),
    );
  });
  return r;
}

const hasSession = (req: Request) => (req.headers.cookie ?? '').split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));

/** Sends the server render's API calls to Berth itself with the visitor's session cookie (and nothing else of theirs). */
function visitorFetch(req: Request, selfUrl: string) {
  return (url: string, init: RequestInit) => {
    if (!url.startsWith('/api/')) return Promise.reject(new Error(`the server render asked for ${url}`));
    const headers = new Headers(init.headers);
    if (req.headers.cookie) headers.set('cookie', req.headers.cookie);
    headers.set('x-request-id', String(req.id));
    return fetch(selfUrl + url, { ...init, headers });
  };
}
