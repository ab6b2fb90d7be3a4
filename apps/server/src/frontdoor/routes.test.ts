import { describe, expect, it } from 'vitest';
import { parseV2Path, type V2ImageTarget } from '@berth/oci';
import { access } from './checks/access.ts';
import type { FrontDoorDeps } from './deps.ts';
import { findRoute, routeTable } from './routes.ts';

// The table is built from its dependencies without touching them: none is called here.
const table = routeTable({ store: {}, proxy: {}, indexer: {}, pulls: {}, log: {} } as unknown as FrontDoorDeps);
const target = (path: string) => parseV2Path(path, 2) as V2ImageTarget;
const d = `sha256:${'a'.repeat(64)}`;

describe('the /v2 route table', () => {
  it('checks access first on every route, so nothing reaches the registry unauthenticated or out of scope', () => {
    for (const route of table) expect(route.checks[0]).toBe(access);
  });

  it.each([
    ['PUT', '/v2/team/app/manifests/v1', 0],
    ['GET', '/v2/team/app/manifests/v1', 1],
    ['HEAD', `/v2/team/app/manifests/${d}`, 1],
    ['DELETE', `/v2/team/app/manifests/${d}`, 2],
    ['DELETE', `/v2/team/app/blobs/${d}`, 3],
    ['POST', '/v2/team/app/blobs/uploads/', 4],
    ['PATCH', '/v2/team/app/blobs/uploads/abc', 5],
    ['GET', '/v2/team/app/tags/list', 6],
    ['HEAD', '/v2/team/app/tags/list', 6],
    ['GET', `/v2/team/app/referrers/${d}`, 7],
    ['PUT', '/v2/team/app/blobs/uploads/abc', 8],
    ['GET', '/v2/team/app/blobs/uploads/abc', 8],
    ['GET', `/v2/team/app/blobs/${d}`, 8],
    ['DELETE', '/v2/team/app/tags/list', 8],
  ])('serves %s %s with row %i', (method, path, row) => {
    expect(findRoute(table, method, target(path))).toBe(table[row]);
  });

  it('gives handlers the repository and image the path names', () => {
    expect(target('/v2/team/tools/app/manifests/v1')).toMatchObject({ name: 'team/tools/app', repository: 'team', image: 'tools/app' });
  });
});
