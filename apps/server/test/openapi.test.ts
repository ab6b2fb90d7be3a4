import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, openApiDocument, responseProblems, type OpenApiDocument } from '@berth/api';
import { repositoryWithUser, startBerth, startUpstream, type RunningBerth, type Upstream } from './harness.ts';

/**
 * The OpenAPI document of /api/v1 is served to those who may use the API, is the one the
 * contract generates, and describes the answers the server really gives (every answer the
 * integration tests receive is held to it by the harness; here also the error answers
 * of each kind).
 */
describe('the OpenAPI document at /api/v1/openapi.json', () => {
  let registry: Upstream;
  let berth: RunningBerth;

  beforeAll(async () => {
    registry = await startUpstream();
    berth = await startBerth(registry.url);
  });
  afterAll(async () => {
    await berth?.stop();
    await registry?.stop();
  });

  it('is not served to anonymous callers, nor to a repository user', async () => {
    const anonymous = await fetch(`${berth.url}/api/v1/openapi.json`);
    expect(anonymous.status).toBe(401);
    const secret = await repositoryWithUser(berth, 'team', 'ci', 'pull');
    const robot = await fetch(`${berth.url}/api/v1/openapi.json`, { headers: { authorization: `Basic ${Buffer.from(`team:${secret}`).toString('base64')}` } });
    expect(robot.status).toBe(401);
  });

  it('is the OpenAPI 3.1 document the contract generates, with an operation for every endpoint', async () => {
    const res = await berth.api<OpenApiDocument>('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(res.body.openapi).toMatch(/^3\.1\./);
    const operations = Object.values(res.body.paths).flatMap((ops) => Object.values(ops).map((o) => (o as { operationId?: string }).operationId));
    expect(operations.sort()).toEqual(ENDPOINTS.map((e) => e.operationId).sort());
  });

  it('declares the errors the server answers: unknown names, bad input, wrong method of access', async () => {
    // Each of these goes through the harness, which fails on any answer the table does not declare.
    expect((await berth.api('GET', '/repositories/nope/images')).status).toBe(404);
    expect((await berth.api('POST', '/repositories', { name: 'Bad Name!' })).status).toBe(400);
    expect((await berth.api('GET', '/repositories?limit=0')).status).toBe(400);
    expect((await berth.api('GET', '/no-such-route')).status).toBe(404);
  });

  it('finds a made-up field or status in an answer: the check the harness applies can fail', () => {
    const ok = { method: 'GET', path: '/repositories?limit=1', status: 200, contentType: 'application/json; charset=utf-8' };
    const page = { items: [], nextCursor: null };
    const honest = responseProblems({ ...ok, text: JSON.stringify(page) });
    expect(honest).toEqual([]);
    expect(responseProblems({ ...ok, text: JSON.stringify({ ...page, extra: 1 }) }).join()).toMatch(/extra is not in the contract/);
    expect(responseProblems({ ...ok, status: 418, text: JSON.stringify(page) }).join()).toMatch(/does not declare/);
  });
});
