import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeClient, serveExchange, WINDOW, type ExchangeRequest, type ExchangeResponse } from './port-exchange.ts';
import { RegistryStorage } from './storage.ts';

const MiB = 1024 * 1024;

/** A body of `size` random bytes, read in 64 KiB pieces as a socket would give them; counts what was taken. */
function socketLike(data: Buffer): Readable & { taken: () => number } {
  let at = 0;
  const r = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (at >= data.length) return void this.push(null);
      const n = Math.min(64 * 1024, data.length - at);
      // A fresh buffer per read, as the HTTP parser hands out.
      this.push(Buffer.from(data.subarray(at, at + n)));
      at += n;
    },
  });
  return Object.assign(r, { taken: () => at });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Berth's /v2 requests to the embedded registry's worker cross a MessagePort. Here both
 * ends share one thread (a MessageChannel behaves the same): what must hold is that bodies
 * arrive whole and in order, that neither side buffers without bound, that memory is
 * reused, and that either side giving up reaches the other.
 */
describe('port exchange', () => {
  let ports: MessagePort[] = [];
  let work: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-exchange-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  afterEach(() => {
    for (const p of ports) p.close();
    ports = [];
  });

  function connect(handler: (req: ExchangeRequest, res: ExchangeResponse) => Promise<void>): ExchangeClient {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    serveExchange(port2, handler);
    return new ExchangeClient(port1);
  }

  it('carries a 32 MiB upload into the blob store whole, reusing a few slabs instead of one per MiB', async () => {
    const storage = new RegistryStorage(path.join(work, 'store'));
    await storage.init();
    const client = connect(async (req, res) => {
      const [, name, id] = /^\/(.+)\/(.+)$/.exec(req.url)!;
      const size = await storage.appendUpload(name!, id!, req);
      res.writeHead(202, { Range: `0-${size - 1}` });
      res.end();
    });
    const data = randomBytes(32 * MiB);
    const id = await storage.startUpload('team/app');
    const reply = await client.request({ method: 'PATCH', url: `/team/app/${id}`, headers: {}, body: socketLike(data) });
    await reply.body.dump();
    expect(reply.statusCode).toBe(202);
    expect(reply.headers.range).toBe(`0-${32 * MiB - 1}`);
    const blob = await storage.completeUpload('team/app', id, `sha256:${sha(data)}`);
    expect(blob.size).toBe(32 * MiB);
    // The window is 4 MiB; the store holds a little more while writing. Never all 32.
    expect(client.slabsAllocated).toBeGreaterThan(0);
    expect(client.slabsAllocated).toBeLessThanOrEqual(WINDOW / MiB + 4);
  });

  it('stops taking a body at the window while the registry is not reading it', async () => {
    let release!: () => void;
    const reading = new Promise<void>((r) => (release = r));
    const client = connect(async (req, res) => {
      await reading;
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      res.writeHead(200, {});
      res.end(sha(Buffer.concat(chunks)));
    });
    const data = randomBytes(48 * MiB);
    const body = socketLike(data);
    const replied = client.request({ method: 'PUT', url: '/slow', headers: {}, body });
    await new Promise((r) => setTimeout(r, 300));
    // The window, the batch being filled, and the two sides' 1 MiB stream buffers: far short of 48.
    expect(body.taken()).toBeLessThan(WINDOW + 4 * MiB);
    release();
    const reply = await replied;
    expect(Buffer.from(await reply.body.arrayBuffer()).toString()).toBe(sha(data));
  });

  it('streams a file range to a slow writer, in order, and hands the slabs back as they are written', async () => {
    const file = path.join(work, 'blob');
    const data = randomBytes(20 * MiB + 12345);
    fs.writeFileSync(file, data);
    const client = connect(async (_req, res) => {
      res.writeHead(206, {});
      await res.sendFile(file, 1000, data.length - 1);
    });
    const got: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, done) {
        // Copy now, finish later: a slab handed back early would be overwritten before this lands.
        const copy = Buffer.from(chunk);
        setTimeout(() => {
          expect(chunk.equals(copy)).toBe(true);
          got.push(copy);
          done();
        }, 2);
      },
    });
    const reply = await client.request({ method: 'GET', url: '/blob', headers: {} });
    expect(reply.statusCode).toBe(206);
    await reply.body.pipeTo(slow);
    expect(Buffer.concat(got).equals(data.subarray(1000))).toBe(true);
  });

  it('answers early without reading the body, and the rest of the body is drained, not left hanging', async () => {
    const client = connect(async (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"DIGEST_INVALID"}]}');
    });
    const body = socketLike(randomBytes(16 * MiB));
    const reply = await client.request({ method: 'PUT', url: '/x', headers: {}, body });
    expect(reply.statusCode).toBe(400);
    expect(Buffer.from(await reply.body.arrayBuffer()).toString()).toContain('DIGEST_INVALID');
    await new Promise<void>((resolve) => (body.readableEnded ? resolve() : body.once('end', resolve)));
    expect(body.taken()).toBe(16 * MiB);
  });

  it('tells the registry when the client goes away mid-upload', async () => {
    let failed!: (err: Error) => void;
    const failure = new Promise<Error>((r) => (failed = r));
    let began!: () => void;
    const started = new Promise<void>((r) => (began = r));
    const client = connect(async (req, res) => {
      req.once('error', failed);
      req.resume();
      began();
      await failure;
      res.destroy();
    });
    const abort = new AbortController();
    const replied = client.request({ method: 'PATCH', url: '/x', headers: {}, body: socketLike(randomBytes(64 * MiB)), signal: abort.signal });
    await started;
    abort.abort();
    await expect(replied).rejects.toMatchObject({ name: 'AbortError' });
    expect(await failure).toMatchObject({ code: 'ECONNRESET' });
  });

  it('fails the reply, rather than ending it short, when the registry stops mid-response', async () => {
    const client = connect(async (_req, res) => {
      res.writeHead(200, { 'content-length': String(4 * MiB) });
      res.write(Buffer.alloc(MiB, 1));
      await new Promise((r) => setTimeout(r, 20));
      res.destroy(new Error('disk read failed'));
    });
    const reply = await client.request({ method: 'GET', url: '/x', headers: {} });
    await expect(reply.body.arrayBuffer()).rejects.toThrow(/disk read failed/);
  });

  it('stops reading the file when Berth abandons the reply', async () => {
    const file = path.join(work, 'abandoned');
    fs.writeFileSync(file, randomBytes(64 * MiB));
    let sent: Promise<unknown>;
    const client = connect(async (_req, res) => {
      sent = res.sendFile(file, 0, 64 * MiB - 1).then(
        () => 'completed',
        (err: NodeJS.ErrnoException) => err.code,
      );
      await sent;
    });
    const reply = await client.request({ method: 'GET', url: '/x', headers: {} });
    reply.body.once('data', () => reply.body.destroy());
    await new Promise((r) => reply.body.once('close', r));
    await expect(sent!).resolves.toBe('ECONNRESET');
  });
});
