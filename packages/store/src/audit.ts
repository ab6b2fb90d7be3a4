import type { Db } from './sql-helpers.ts';
import type { AuditEntry, AuditStore } from './types.ts';

/** The audit log: rows appended, before and after kept as JSON. */
export class KyselyAudit implements AuditStore {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry & { at: string }): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
      })
      .execute();
  }
}
