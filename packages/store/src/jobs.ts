import { sql, type Selectable } from 'kysely';
import type { JobsTable } from './schema.ts';
import type { Dialect } from './migrations.ts';
import type { Db } from './sql-helpers.ts';
import type { JobOutcome, JobRecord, JobsStore, JobStats, NewJob } from './types.ts';

type JobRow = Selectable<JobsTable>;

function toJob(r: JobRow): JobRecord {
  return {
    id: Number(r.id),
    kind: r.kind,
    payload: JSON.parse(r.payload) as unknown,
    status: r.status as JobRecord['status'],
    dedupeKey: r.dedupe_key,
    runAt: r.run_at,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
  };
}

/**
 * The job queue: rows in the store leased by workers, so several Berth instances share
 * one queue. A lease is a compare-and-set on the row (SQLite has one writer; on PostgreSQL
 * `FOR UPDATE SKIP LOCKED` keeps concurrent workers off each other's candidate). A crashed
 * worker's lease runs out and the job is leased again.
 */
export class JobQueue implements JobsStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  /** Queues a job; with a dedupe key, nothing is added while an unfinished job has it. */
  async enqueue(job: NewJob, now: string): Promise<JobRecord | null> {
    const values = {
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      status: 'queued',
      dedupe_key: job.dedupeKey ?? null,
      run_at: job.runAt ?? now,
      attempts: 0,
      max_attempts: job.maxAttempts ?? 5,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    };
    // The partial unique index on unfinished dedupe keys makes a duplicate a no-op, or,
    // with `advance`, moves a queued duplicate forward to this run time.
    const rows = await this.db
      .insertInto('jobs')
      .values(values)
      .onConflict((oc) => {
        const target = oc.column('dedupe_key').where(sql<boolean>`status in ('queued', 'running')`);
        return job.advance
          ? target
              .doUpdateSet({ run_at: (eb) => eb.ref('excluded.run_at'), updated_at: now })
              .where('jobs.status', '=', 'queued')
              .where('jobs.run_at', '>', (eb) => eb.ref('excluded.run_at'))
          : target.doNothing();
      })
      .returningAll()
      .execute();
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Leases the next due job (or one whose lease ran out) to `owner` until `until`. */
  async lease(owner: string, now: string, until: string, kinds?: string[]): Promise<JobRecord | null> {
    const due = (qb: ReturnType<typeof this.candidates>) => (kinds && kinds.length > 0 ? qb.where('kind', 'in', kinds) : qb);
    if (this.dialect === 'postgres') {
      const picked = due(this.candidates(now)).select('id').orderBy('run_at').orderBy('id').limit(1).forUpdate().skipLocked();
      const rows = await this.db
        .updateTable('jobs')
        .set({ status: 'running', lease_owner: owner, lease_until: until, attempts: sql`attempts + 1`, updated_at: now })
        .where('id', '=', (eb) => eb.selectFrom(picked.as('p')).select('p.id'))
        .returningAll()
        .execute();
      return rows[0] ? toJob(rows[0]) : null;
    }
    for (let tries = 0; tries < 5; tries++) {
      const candidate = await due(this.candidates(now)).select(['id', 'status', 'lease_until']).orderBy('run_at').orderBy('id').limit(1).executeTakeFirst();
      if (!candidate) return null;
      const rows = await this.db
        .updateTable('jobs')
        .set({ status: 'running', lease_owner: owner, lease_until: until, attempts: sql`attempts + 1`, updated_at: now })
        .where('id', '=', candidate.id)
        .where('status', '=', candidate.status)
        .where((eb) => (candidate.lease_until === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', candidate.lease_until)))
        .returningAll()
        .execute();
      if (rows[0]) return toJob(rows[0]);
    }
    return null;
  }

  private candidates(now: string) {
    return this.db
      .selectFrom('jobs')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
        ]),
      );
  }

  /** Extends a lease the owner still holds; false when it was lost. */
  async renew(id: number, owner: string, until: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('jobs')
      .set({ lease_until: until, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Ends a job the owner holds: done, retried at `retryAt`, or failed for good. */
  async finish(id: number, owner: string, outcome: JobOutcome, now: string): Promise<boolean> {
    const set =
      outcome.status === 'done'
        ? { status: 'done', lease_owner: null, lease_until: null, last_error: null, updated_at: now }
        : outcome.retryAt
          ? { status: 'queued', run_at: outcome.retryAt, lease_owner: null, lease_until: null, last_error: outcome.error, updated_at: now }
          : { status: 'failed', lease_owner: null, lease_until: null, last_error: outcome.error, updated_at: now };
    const res = await this.db
      .updateTable('jobs')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async get(id: number): Promise<JobRecord | null> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }

  /** Queue depth and lag (age of the oldest due job), for metrics. */
  async stats(now: string): Promise<JobStats> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.min('run_at').as('oldest'),
      ])
      .where('status', '=', 'queued')
      .where('run_at', '<=', now)
      .executeTakeFirstOrThrow();
    const running = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'running')
      .executeTakeFirstOrThrow();
    const oldest = row.oldest as string | null;
    return {
      queued: Number(row.n),
      running: Number(running.n),
      lagSeconds: oldest ? Math.max(0, (Date.parse(now) - Date.parse(oldest)) / 1000) : 0,
    };
  }
}
