// The advisory database: OSV records loaded from a directory into an index keyed by
// (ecosystem base, package name), so that matching an inventory is a lookup per package.

import { createHash } from 'node:crypto';
import type { Inventory, OsvRecord, Vulnerability } from '../types.ts';
import { ecosystemBase, normalizePackageName } from './ecosystems.ts';
import { listDatabaseFiles, readJsonFiles, readMetadata, readZipFile, type DatabaseMetadata, type ProblemHandler } from './load.ts';
import { matchInventory, type MatchResult } from './match.ts';
import { compactRecord, type AdvisoryEntry, type AdvisoryRecord } from './record.ts';

/** What is loaded, for the console and the scan results. */
export interface DatabaseInfo {
  /** The directory it was loaded from ('' when built from records in memory). */
  dir: string;
  /** Records kept (withdrawn ones and ones affecting no package are not). */
  records: number;
  /** Records per ecosystem base (`Debian`, `npm`…), by name. */
  ecosystems: { name: string; records: number }[];
  /** When `berth vuln-db update` last wrote the directory, else the newest `modified` of a record; null when neither is known. */
  updatedAt: string | null;
  /** Stable id of this content: a hash of every kept record's id and `modified`. The same records give the same version wherever they are loaded. */
  version: string;
  /** Files or zip entries that could not be read as OSV records (each also given to `onProblem`). */
  skipped: number;
}

/** Options of `AdvisoryDatabase.load`. */
export interface LoadOptions {
  /** Hears of each file or zip entry skipped because it is not a readable OSV record. */
  onProblem?: ProblemHandler;
}

/** Advisory entries by `ecosystem base \0 normalized package name`. */
type Index = Map<string, AdvisoryEntry[]>;

function indexKey(base: string, name: string): string {
  return `${base}\u0000${normalizePackageName(base, name)}`;
}

/** Keeps one copy of each record id: the most recently modified (a withdrawn copy included, which then hides the record). */
class RecordSet {
  private readonly byId = new Map<string, { modified: number; record: AdvisoryRecord | null }>();

  add(raw: OsvRecord): void {
    const modified = Date.parse(raw.modified ?? '') || 0;
    const seen = this.byId.get(raw.id);
    if (seen && seen.modified >= modified) return;
    this.byId.set(raw.id, { modified, record: compactRecord(raw) });
  }

  records(): AdvisoryRecord[] {
    const out: AdvisoryRecord[] = [];
    for (const { record } of this.byId.values()) if (record) out.push(record);
    return out;
  }
}

/**
 * OSV advisories held in memory for matching. Load it from a directory of records and/or
 * OSV `all.zip` archives (`BERTH_VULN_DB`); `match` then turns an inventory into findings
 * with index lookups only.
 */
export class AdvisoryDatabase {
  private constructor(
    readonly info: DatabaseInfo,
    private readonly index: Index,
  ) {}

  /**
   * Loads every `*.json` record and `*.zip` archive of records under `dir` (subdirectories
   * too). A record found twice (in two archives, or loose and zipped) counts once, its
   * latest `modified` copy winning; withdrawn records are dropped. Files that are not
   * records are skipped and counted; an archive that is not a readable zip rejects.
   */
  static async load(dir: string, opts: LoadOptions = {}): Promise<AdvisoryDatabase> {
    const set = new RecordSet();
    let skipped = 0;
    const onProblem: ProblemHandler = (where, message) => {
      skipped += 1;
      opts.onProblem?.(where, message);
    };
    const files = await listDatabaseFiles(dir);
    for (const zip of files.zips) {
      try {
        await readZipFile(zip, (r) => set.add(r), onProblem);
      } catch (err) {
        throw new Error(`${zip} is not a readable zip of OSV records: ${(err as Error).message}`, { cause: err });
      }
    }
    await readJsonFiles(files.json, (r) => set.add(r), onProblem);
    return AdvisoryDatabase.build(set.records(), { dir, metadata: await readMetadata(dir), skipped });
  }

  /** A database of records already in memory (tests, tools). Withdrawn records are dropped. */
  static fromRecords(records: Iterable<OsvRecord>): AdvisoryDatabase {
    const set = new RecordSet();
    for (const r of records) set.add(r);
    return AdvisoryDatabase.build(set.records(), { dir: '', metadata: null, skipped: 0 });
  }

  private static build(records: AdvisoryRecord[], from: { dir: string; metadata: DatabaseMetadata | null; skipped: number }): AdvisoryDatabase {
    const index: Index = new Map();
    const perEcosystem = new Map<string, number>();
    const hash = createHash('sha256');
    let newest = '';
    let newestMs = 0;
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const record of records) {
      hash.update(`${record.id}\u0000${record.modified}\n`);
      const ms = Date.parse(record.modified) || 0;
      if (ms > newestMs) [newestMs, newest] = [ms, record.modified];
      const bases = new Set<string>();
      for (const affected of record.affected ?? []) {
        const ecosystem = affected.package!.ecosystem;
        const base = ecosystemBase(ecosystem);
        bases.add(base);
        const key = indexKey(base, affected.package!.name);
        const list = index.get(key);
        const entry: AdvisoryEntry = { record, affected, ecosystem };
        if (list) list.push(entry);
        else index.set(key, [entry]);
      }
      for (const b of bases) perEcosystem.set(b, (perEcosystem.get(b) ?? 0) + 1);
    }
    const info: DatabaseInfo = {
      dir: from.dir,
      records: records.length,
      ecosystems: [...perEcosystem].map(([name, n]) => ({ name, records: n })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      updatedAt: from.metadata?.updatedAt ?? (newest || null),
      version: `sha256:${hash.digest('hex').slice(0, 32)}`,
      skipped: from.skipped,
    };
    return new AdvisoryDatabase(info, index);
  }

  /** The affected entries filed under a package name in an ecosystem's base (any release); [] when none. */
  lookup(ecosystem: string, name: string): readonly AdvisoryEntry[] {
    const base = ecosystemBase(ecosystem);
    return this.index.get(indexKey(base, name)) ?? [];
  }

  /** The vulnerabilities of an inventory's packages, worst first (see `matchInventory`). */
  match(inventory: Inventory): Vulnerability[] {
    return this.matchDetailed(inventory).vulnerabilities;
  }

  /** `match`, with notes on what could not be matched (OS packages of an OS without advisories…). */
  matchDetailed(inventory: Inventory): MatchResult {
    return matchInventory(inventory, (ecosystem, name) => this.lookup(ecosystem, name));
  }
}
