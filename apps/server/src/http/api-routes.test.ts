import type { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS, openApiDocument } from '@berth/api';
import { apiRouter, type AppDeps } from './app.ts';

interface RouteLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
}

/** An Express path as a table template: `:param` → `{param}`, an escaped `\\:` a colon. */
const template = (p: string) => p.replace(/(?<!\\):(\w+)/g, '{$1}').replace(/\\:/g, ':');

/** Every `METHOD /path` the router serves, nested routers included, as `{param}` templates. */
function servedRoutes(router: Router): string[] {
  const out: string[] = [];
  const walk = (stack: RouteLayer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') out.push(`${method.toUpperCase()} ${template(p)}`);
          }
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: RouteLayer[] }).stack);
  return out.sort();
}

describe('the /api/v1 routes and the contract’s endpoint table', () => {
  // The routers only keep their services for the requests they serve: none is called here.
  const router = apiRouter({ loginRateLimit: 10, secureCookies: false } as unknown as AppDeps);
  const served = servedRoutes(router);
  const table = ENDPOINTS.map((e) => `${e.method.toUpperCase()} ${e.path}`).sort();

  it('has one table row for every route the server serves, and no row the server lacks', () => {
    expect(served.length).toBeGreaterThan(50);
    expect(served).toEqual(table);
  });

  it('documents every row in the OpenAPI 3.1 document, under its path and method', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).filter((k) => k !== 'parameters').map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(documented).toEqual(table);
  });

  it('resolves every schema reference of the document to a component', () => {
    const doc = openApiDocument();
    const refs = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.add(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '');
      expect(ref.startsWith('#/components/schemas/') && name in doc.components.schemas, ref).toBe(true);
    }
  });
});
