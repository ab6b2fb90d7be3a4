// Requests to the embedded registry in its worker thread, carried over a MessagePort instead
// of HTTP on loopback. Berth's front door already parsed each request; sending it on as HTTP
// made both threads frame, copy through the kernel, and parse every byte once more. Here a
// request is its method, path and headers, then its body as 1 MiB slabs whose memory moves
// to the other thread. Each direction is flow-controlled: the sender stops at WINDOW
// unacknowledged bytes, and the receiver acknowledges a chunk once its consumer has taken it.
//
// Memory stays flat because slabs are lent, not given: a consumer that knows when it is done
// with a chunk (the blob store once the bytes are on disk, Berth's relay once the socket has
// written them) hands its slab back, and the sender fills it again. Fresh buffers per chunk,
// freed only when each thread's garbage collector got round to them, measured as 135–150 MiB
// of RSS growth on a 256 MiB push and pull, with two isolates each holding up to V8's 64 MiB
// of dead external memory.
import type { IncomingHttpHeaders } from 'node:http';
import { open } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { MessagePort } from 'node:worker_threads';

/** Unacknowledged body bytes a sender may have in flight per request. */
export const WINDOW = 4 * 1024 * 1024;
/**
 * Bodies go in slabs of this many bytes, and are acknowledged in batches of as many: a
 * message per 64 KiB socket read cost more CPU than the loopback hop it replaces.
 */
const BATCH = 1024 * 1024;
/** Free slabs a thread keeps for reuse; past this, a returned slab is left to the collector. */
const POOL_MAX = 16;
/** A batch still short of BATCH goes anyway after this long, so a slow client's bytes keep moving. */
const LINGER_MS = 10;

export type ExchangeMessage =
  | { t: 'req'; id: number; method: string; url: string; headers: IncomingHttpHeaders; body: boolean }
  | { t: 'head'; id: number; status: number; headers: Record<string, string | string[]> }
  /** `sizes` are the bytes used of each chunk (all of it when absent); `lent` chunks are slabs to hand back. */
  | { t: 'data'; id: number; chunks: ArrayBuffer[]; sizes?: number[]; lent?: boolean }
  | { t: 'end'; id: number }
  /** The sender gave up: the client went away (to the worker) or the handler failed mid-body (to Berth). */
  | { t: 'abort'; id: number; message: string }
  /** Room again in the window for `bytes`, and `slabs` handed back (whether or not the request is still open). */
  | { t: 'ack'; id: number; bytes: number; slabs?: ArrayBuffer[] };

/** A consumer that can say when it no longer holds a chunk, so its memory is used again. */
export interface RecyclingBody {
  recycle(chunk: Buffer): void;
}

/** Free 1 MiB slabs of one thread's side of a port. */
class SlabPool {
  private readonly free: ArrayBuffer[] = [];
  /** Slabs this side ever allocated: stays near WINDOW / BATCH when bodies are recycled. */
  allocated = 0;

  take(): ArrayBuffer {
    const slab = this.free.pop();
    if (slab) return slab;
    this.allocated++;
    return new ArrayBuffer(BATCH);
  }

  give(slabs: readonly ArrayBuffer[] | undefined): void {
    for (const ab of slabs ?? []) if (ab.byteLength === BATCH && this.free.length < POOL_MAX) this.free.push(ab);
  }
}

/** A copy of a chunk's bytes to transfer: the chunk itself may be pooled or cached where it is. */
function copyOf(chunk: Buffer): ArrayBuffer {
  return chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer;
}

/** Sends one request's or reply's body chunks, holding back past WINDOW until acknowledged. */
class Sender {
  private inFlight = 0;
  private waiting: (() => void) | null = null;

  constructor(
    private readonly port: MessagePort,
    private readonly id: number,
  ) {}

  /** Sends copies of the chunks; `next` runs at once if the window has room, else once it has again. */
  send(chunks: Buffer[], next: () => void): void {
    const buffers = chunks.filter((c) => c.byteLength > 0).map(copyOf);
    const bytes = buffers.reduce((n, b) => n + b.byteLength, 0);
    if (bytes > 0) this.post({ t: 'data', id: this.id, chunks: buffers }, buffers, bytes);
    this.wait(next);
  }

  /** Lends the first `size` bytes of a slab; it comes back in an ack once the other side is done with it. */
  lend(slab: ArrayBuffer, size: number, next: () => void): void {
    this.post({ t: 'data', id: this.id, chunks: [slab], sizes: [size], lent: true }, [slab], size);
    this.wait(next);
  }

  private post(m: ExchangeMessage, transfer: ArrayBuffer[], bytes: number): void {
    this.inFlight += bytes;
    this.port.postMessage(m, transfer);
  }

  private wait(next: () => void): void {
    if (this.inFlight < WINDOW) next();
    else this.waiting = next;
  }

  acked(bytes: number): void {
    this.inFlight -= bytes;
    if (this.waiting && this.inFlight < WINDOW) {
      const next = this.waiting;
      this.waiting = null;
      next();
    }
  }

  /** Releases a writer waiting for room (the other side is gone, nothing more will be acknowledged). */
  release(): void {
    const next = this.waiting;
    this.waiting = null;
    next?.();
  }
}

/**
 * A body arriving from the other thread. Chunks are acknowledged as the consumer reads
 * them: at once while the readable buffer has room, else when it asks for more.
 */
class IncomingBody extends Readable implements RecyclingBody {
  private unacked = 0;
  private full = false;
  /** Slabs lent by the sender that the consumer may still hold. */
  private readonly lent = new Set<ArrayBuffer>();

  constructor(
    private readonly ack: (bytes: number, slabs?: ArrayBuffer[]) => void,
    private readonly onDestroy: () => void = () => undefined,
  ) {
    super({ highWaterMark: 1 << 20 });
  }

  deliver(m: Extract<ExchangeMessage, { t: 'data' }>): void {
    if (this.destroyed) return;
    m.chunks.forEach((ab, i) => {
      const size = m.sizes?.[i] ?? ab.byteLength;
      this.unacked += size;
      if (m.lent) this.lent.add(ab);
      if (!this.push(Buffer.from(ab, 0, size))) this.full = true;
    });
    // Past the batch size, and not waiting on the reader: give the sender its room back.
    if (!this.full && this.unacked >= BATCH) this.flush();
  }

  /**
   * The consumer is done with `chunk` (written to disk or to a socket): a lent slab goes
   * back to the sender to be filled again. Other chunks are left to the collector.
   */
  recycle(chunk: Buffer): void {
    const ab = chunk.buffer as ArrayBuffer;
    if (this.lent.delete(ab)) this.ack(0, [ab]);
  }

  finish(): void {
    if (!this.destroyed) this.push(null);
  }

  override _read(): void {
    // The reader drained what was buffered; below a batch the sender still has room, which a
    // blocked sender cannot lack (it stops at WINDOW, more than a batch).
    if (this.full || this.unacked >= BATCH) {
      this.full = false;
      this.flush();
    }
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.onDestroy();
    // As Node's IncomingMessage does: the error is emitted only to someone listening for it,
    // so a body nobody reads any more cannot take the thread down with an unhandled 'error'.
    done(this.listenerCount('error') > 0 ? err : null);
  }

  private flush(): void {
    if (this.unacked === 0) return;
    const n = this.unacked;
    this.unacked = 0;
    this.ack(n);
  }
}

function gone(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

// ---- the worker's side: a request the registry's handler reads, a response it writes ----

/** What the registry's handler reads of a request: IncomingMessage satisfies it too. */
export class ExchangeRequest extends IncomingBody {
  complete = false;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    ack: (bytes: number, slabs?: ArrayBuffer[]) => void,
  ) {
    super(ack);
  }

  override finish(): void {
    this.complete = true;
    super.finish();
  }
}

/** What the registry's handler writes of a response: ServerResponse satisfies it too. */
export class ExchangeResponse extends Writable {
  statusCode = 200;
  private readonly headers = new Map<string, string | string[]>();
  private sent = false;
  /** One window for the whole body, whether written or sent from a file. */
  private readonly sender: Sender;

  constructor(
    private readonly port: MessagePort,
    private readonly id: number,
    private readonly pool: SlabPool,
  ) {
    super({ highWaterMark: 1 << 20 });
    // Written chunks are copied: a handler may write a buffer it keeps (the manifest cache's).
    this.sender = new Sender(port, id);
  }

  get headersSent(): boolean {
    return this.sent;
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), typeof value === 'number' ? String(value) : typeof value === 'string' ? value : [...value]);
    return this;
  }

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    this.sendHead();
    return this;
  }

  acked(bytes: number): void {
    this.sender.acked(bytes);
  }

  /**
   * Sends bytes `start`..`end` (inclusive) of a file as the body, then ends. The file is
   * read straight into slabs lent to Berth's thread, which hands them back once written.
   */
  async sendFile(file: string, start: number, end: number): Promise<void> {
    this.sendHead();
    const fh = await open(file, 'r');
    try {
      for (let at = start; at <= end; ) {
        if (this.destroyed) throw gone('Berth closed the request');
        const slab = this.pool.take();
        const { bytesRead } = await fh.read(new Uint8Array(slab), 0, Math.min(BATCH, end - at + 1), at);
        if (bytesRead === 0) throw new Error(`${file} ended at ${at}, before byte ${end}`);
        at += bytesRead;
        await new Promise<void>((resolve) => this.sender.lend(slab, bytesRead, resolve));
      }
      if (this.destroyed) throw gone('Berth closed the request');
    } finally {
      await fh.close();
    }
    this.end();
    await finished(this);
  }

  /** Berth went away: stop sending. Like a ServerResponse whose client left, it closes without an error. */
  cancel(): void {
    this.sender.release();
    this.destroy();
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    this.sendHead();
    this.sender.send(
      chunks.map((c) => c.chunk),
      () => done(),
    );
  }

  override _final(done: (err?: Error | null) => void): void {
    this.sendHead();
    this.port.postMessage({ t: 'end', id: this.id } satisfies ExchangeMessage);
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    // Destroyed before its end: Berth's reader must see a failure, not a short body.
    if (!this.writableFinished) this.port.postMessage({ t: 'abort', id: this.id, message: err?.message ?? 'the registry stopped the response' } satisfies ExchangeMessage);
    // A ServerResponse destroyed with an error does not emit it either: the error went to Berth.
    done(this.listenerCount('error') > 0 ? err : null);
  }

  private sendHead(): void {
    if (this.sent) return;
    this.sent = true;
    this.port.postMessage({ t: 'head', id: this.id, status: this.statusCode, headers: Object.fromEntries(this.headers) } satisfies ExchangeMessage);
  }
}

/** Serves requests arriving on `port` with `handler` (in the registry's worker). */
export function serveExchange(port: MessagePort, handler: (req: ExchangeRequest, res: ExchangeResponse) => Promise<void>): void {
  const open = new Map<number, { req: ExchangeRequest; res: ExchangeResponse }>();
  const pool = new SlabPool();
  port.on('message', (m: ExchangeMessage) => {
    if (m.t === 'ack') pool.give(m.slabs);
    if (m.t === 'req') {
      const req = new ExchangeRequest(m.method, m.url, m.headers, ackOver(port, m.id));
      const res = new ExchangeResponse(port, m.id, pool);
      open.set(m.id, { req, res });
      const done = () => {
        open.delete(m.id);
        // Answered without reading all of the body (an error): the rest is dropped, as Node's HTTP server does.
        if (!req.readableEnded) req.resume();
      };
      res.once('finish', done);
      res.once('close', done);
      if (!m.body) req.finish();
      void handler(req, res);
      return;
    }
    const ex = open.get(m.id);
    if (!ex) return;
    if (m.t === 'data') ex.req.deliver(m);
    else if (m.t === 'end') ex.req.finish();
    else if (m.t === 'ack') ex.res.acked(m.bytes);
    else if (m.t === 'abort') {
      ex.req.destroy(gone(m.message));
      ex.res.cancel();
      open.delete(m.id);
    }
  });
}

/** Sends acks for request `id`: room in the window, and slabs handed back (transferred). */
function ackOver(port: MessagePort, id: number): (bytes: number, slabs?: ArrayBuffer[]) => void {
  return (bytes, slabs) => port.postMessage({ t: 'ack', id, bytes, ...(slabs ? { slabs } : {}) } satisfies ExchangeMessage, slabs ?? []);
}

// ---- Berth's side ----

export interface ExchangeReply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: ReplyBody;
}

/** A reply body from the registry's worker, with the two conveniences undici's has and Berth uses. */
export class ReplyBody extends IncomingBody {
  async dump(): Promise<void> {
    this.resume();
    if (this.readableEnded) return;
    await new Promise<void>((resolve) => {
      this.once('end', resolve);
      this.once('close', resolve);
    });
  }

  /**
   * Streams the body into `dest` as `pipeline` would, handing each slab back once `dest`
   * has written it (its write callback), so a pull reuses the same few megabytes.
   */
  pipeTo(dest: Writable): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        this.off('data', onData);
        this.destroy(err);
        dest.destroy(err);
        reject(err);
      };
      const onData = (chunk: Buffer) => {
        const more = dest.write(chunk, (err) => {
          if (!err) this.recycle(chunk);
        });
        if (!more) {
          this.pause();
          dest.once('drain', () => this.resume());
        }
      };
      this.on('data', onData);
      this.once('error', fail);
      this.once('end', () => dest.end());
      // Finished or not, `dest` is done: a client that went away stops the worker too.
      finished(dest).then(
        () => (this.readableEnded ? resolve() : fail(gone('the client closed the connection'))),
        (err: Error) => fail(err),
      );
    });
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const chunks: Buffer[] = [];
    for await (const c of this) chunks.push(c as Buffer);
    const all = Buffer.concat(chunks);
    return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  }
}

export interface ExchangeRequestOptions {
  method: string;
  /** Path and query, as on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: Readable | Buffer | undefined;
  signal?: AbortSignal | undefined;
}

/** Sends requests to the registry's worker over `port`; one instance per port. */
export class ExchangeClient {
  private nextId = 0;
  private readonly pool = new SlabPool();
  private readonly open = new Map<
    number,
    { sender: Sender; resolve(r: ExchangeReply): void; reply?: ReplyBody; fail(err: Error): void; done(): void }
  >();

  constructor(private readonly port: MessagePort) {
    port.on('message', (m: ExchangeMessage) => this.receive(m));
  }

  /** Slabs this client allocated for request bodies, ever (memory in use is at most this many MiB). */
  get slabsAllocated(): number {
    return this.pool.allocated;
  }

  request(opts: ExchangeRequestOptions): Promise<ExchangeReply> {
    const id = ++this.nextId;
    const { port } = this;
    const source = opts.body instanceof Readable ? opts.body : undefined;
    const sender = new Sender(port, id);
    return new Promise<ExchangeReply>((resolve, reject) => {
      let settled = false;
      // The slab the client's bytes are being gathered into, and how much of it is filled.
      let slab: Uint8Array | null = null;
      let filled = 0;
      let linger: NodeJS.Timeout | undefined;
      const cleanup = () => {
        clearTimeout(linger);
        this.open.delete(id);
        opts.signal?.removeEventListener('abort', onAbort);
        source?.off('data', onData).off('end', onEnd).off('error', onSourceError);
      };
      const fail = (err: Error) => {
        const entry = this.open.get(id);
        cleanup();
        sender.release();
        if (!settled) {
          settled = true;
          reject(err);
        } else entry?.reply?.destroy(err);
      };
      const onAbort = () => {
        port.postMessage({ t: 'abort', id, message: 'the client closed the connection' } satisfies ExchangeMessage);
        fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      };
      const flush = () => {
        clearTimeout(linger);
        linger = undefined;
        if (!slab || filled === 0) return;
        const full = slab.buffer as ArrayBuffer;
        const size = filled;
        slab = null;
        filled = 0;
        let room = false;
        sender.lend(full, size, () => {
          room = true;
          if (source!.isPaused()) source!.resume();
        });
        if (!room) source!.pause();
      };
      // Socket reads come in 32–64 KiB: they are copied into a slab, which goes once full
      // (or after LINGER_MS), and the slab comes back from the worker to be filled again.
      const onData = (chunk: Buffer) => {
        for (let at = 0; at < chunk.byteLength; ) {
          slab ??= new Uint8Array(this.pool.take());
          const n = Math.min(chunk.byteLength - at, BATCH - filled);
          chunk.copy(slab, filled, at, at + n);
          filled += n;
          at += n;
          if (filled === BATCH) flush();
        }
        if (filled > 0) linger ??= setTimeout(flush, LINGER_MS);
      };
      const onEnd = () => {
        if (source) flush();
        port.postMessage({ t: 'end', id } satisfies ExchangeMessage);
      };
      const onSourceError = (err: Error) => {
        port.postMessage({ t: 'abort', id, message: err.message } satisfies ExchangeMessage);
        fail(err);
      };
      if (opts.signal?.aborted) return reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.open.set(id, {
        sender,
        resolve: (r) => {
          settled = true;
          resolve(r);
        },
        fail,
        done: () => {
          // Answered: whatever the client still sends is not the registry's; it drains here.
          cleanup();
          sender.release();
          if (source && !source.readableEnded) source.resume();
        },
      });
      const headers: Record<string, string> = { ...opts.headers };
      if (Buffer.isBuffer(opts.body)) headers['content-length'] = String(opts.body.byteLength);
      else if (source && headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
      port.postMessage({ t: 'req', id, method: opts.method, url: opts.url, headers, body: opts.body !== undefined } satisfies ExchangeMessage);
      if (Buffer.isBuffer(opts.body)) {
        sender.send([opts.body], () => undefined);
        onEnd();
      } else if (source) {
        source.on('data', onData).once('end', onEnd).once('error', onSourceError);
      }
      // An ended source (no 'end' will come) still ends the request.
      if (source?.readableEnded) onEnd();
    });
  }

  private receive(m: ExchangeMessage): void {
    if (m.t === 'ack') this.pool.give(m.slabs);
    const entry = this.open.get(m.id);
    if (!entry) return;
    if (m.t === 'ack') entry.sender.acked(m.bytes);
    else if (m.t === 'head') {
      const body = new ReplyBody(
        ackOver(this.port, m.id),
        () => {
          // The reader gave up early (a client that went away): tell the worker to stop.
          if (this.open.has(m.id) && !body.readableEnded) {
            this.port.postMessage({ t: 'abort', id: m.id, message: 'Berth closed the reply' } satisfies ExchangeMessage);
            this.open.delete(m.id);
          }
        },
      );
      entry.reply = body;
      entry.resolve({ statusCode: m.status, headers: m.headers, body });
    } else if (m.t === 'data') entry.reply?.deliver(m);
    else if (m.t === 'end') {
      entry.reply?.finish();
      entry.done();
    } else if (m.t === 'abort') entry.fail(gone(m.message));
  }

  /** Fails every request in flight (the worker stopped). */
  closeAll(err: Error): void {
    for (const entry of [...this.open.values()]) entry.fail(err);
  }
}
