import { randomUUID } from 'node:crypto';
import type { JobRecord, NewJob, Store } from '@berth/store';
import type { Logger } from 'pino';

/**
 * Runs one kind of job; a thrown error fails the attempt (retried with backoff). It may
 * return the job to queue next (a recurring job reschedules itself this way).
 */
export type JobHandler = (payload: unknown, job: JobRecord) => Promise<void | { next?: NewJob }>;

export interface WorkerOptions {
  /** How often an idle worker looks for work. */
  pollMs: number;
  /** How long a lease lasts; it is renewed at a third of that while the job runs. */
  leaseMs: number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
}

/**
 * Leases jobs from the store and runs them, one at a time per instance. Several
 * instances on one store never run a job twice at once: the lease decides; a crashed
 * instance's lease runs out and another instance takes the job.
 */
export class JobWorker {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly handlers: Record<string, JobHandler>,
    private readonly log: Logger,
    private readonly opts: WorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err) => this.log.error({ err }, 'job worker tick failed'))
        .then((worked) => {
          this.running = null;
          this.schedule(worked ? 0 : this.opts.pollMs);
        });
    }, delay);
    this.timer.unref();
  }

  /** Leases and runs at most one job; true when one ran. */
  async tick(): Promise<boolean> {
    const now = Date.now();
    const job = await this.store.jobs.lease(this.owner, new Date(now).toISOString(), new Date(now + this.opts.leaseMs).toISOString(), Object.keys(this.handlers));
    if (!job) return false;
    const handler = this.handlers[job.kind]!;
    const renew = setInterval(() => {
      const t = Date.now();
      void this.store.jobs
        .renew(job.id, this.owner, new Date(t + this.opts.leaseMs).toISOString(), new Date(t).toISOString())
        .then((held) => {
          if (!held) this.log.warn({ job: job.id }, 'lost the lease of a running job');
        })
        .catch(() => undefined);
    }, Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    renew.unref();
    try {
      const result = await handler(job.payload, job);
      await this.store.jobs.finish(job.id, this.owner, { status: 'done' }, new Date().toISOString());
      if (result?.next) await this.store.jobs.enqueue(result.next, new Date().toISOString());
      this.log.info({ job: job.id, kind: job.kind, attempt: job.attempts }, 'job done');
    } catch (err) {
      const retry = job.attempts < job.maxAttempts;
      const delay = (this.opts.retryBaseMs ?? 5_000) * 2 ** (job.attempts - 1);
      await this.store.jobs.finish(
        job.id,
        this.owner,
        { status: 'failed', error: err instanceof Error ? err.message : String(err), retryAt: retry ? new Date(Date.now() + delay).toISOString() : null },
        new Date().toISOString(),
      );
      this.log.warn({ err, job: job.id, kind: job.kind, attempt: job.attempts, retry }, 'job failed');
    } finally {
      clearInterval(renew);
    }
    return true;
  }

  /** Stops leasing; waits for the job in hand (its lease would otherwise run out). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
