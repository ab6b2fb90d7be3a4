// `berth vuln-db update`: download OSV's per-ecosystem all.zip archives into the database
// directory. Each archive is streamed to a hidden temporary file, checked (a readable zip
// holding at least one OSV record) and only then renamed over the previous copy, so a
// failed download never leaves a database worse than it was.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { METADATA_FILE, readMetadata, readZipFile, type DatabaseMetadata } from './load.ts';

/** Where OSV publishes its data: `<base>/<ecosystem>/all.zip`. */
export const DEFAULT_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

/**
 * The ecosystems downloaded by default, as OSV's bucket names them: the distributions
 * Berth reads packages of, then the language ecosystems. Each archive holds every release
 * of its distribution (OSV no longer publishes per-release archives such as `Debian:12`).
 */
export const DEFAULT_ECOSYSTEMS = ['Debian', 'Ubuntu', 'Alpine', 'AlmaLinux', 'Rocky Linux', 'npm', 'PyPI', 'Go', 'Maven'] as const;

/** What to download, and where to. */
export interface UpdateOptions {
  /** The database directory (`BERTH_VULN_DB`); created when missing. */
  dir: string;
  /** Defaults to `DEFAULT_BASE_URL`. */
  baseUrl?: string;
  /** Defaults to `DEFAULT_ECOSYSTEMS`. */
  ecosystems?: readonly string[];
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** One archive now in place. */
export interface UpdatedSource {
  ecosystem: string;
  url: string;
  bytes: number;
  records: number;
}

/** One archive not updated; the previous copy, if any, is still in place. */
export interface FailedSource {
  ecosystem: string;
  url: string;
  reason: string;
}

/** What an update did. */
export interface UpdateReport {
  dir: string;
  /** When the metadata was written; null when nothing was updated (the metadata is then left as it was). */
  updatedAt: string | null;
  sources: UpdatedSource[];
  failed: FailedSource[];
}

/** The archive of an ecosystem inside the database directory: `<dir>/<Ecosystem>/all.zip`. */
export function archivePath(dir: string, ecosystem: string): string {
  return path.join(dir, ecosystem.replace(/[/\\]/g, '_').replace(/^\.+/, '_'), 'all.zip');
}

/**
 * Downloads each ecosystem's `all.zip`, replacing the previous archive only once the new
 * one is whole and readable, then writes `berth-vuln-db.json` (`{updatedAt, sources}`; an
 * ecosystem that failed keeps its previous entry there). A failure of one ecosystem does
 * not stop the others; an abort through `signal` does, and rejects: archives already
 * replaced stay, the one under way is dropped, and the metadata is not rewritten.
 */
export async function updateDatabase(opts: UpdateOptions): Promise<UpdateReport> {
  const baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const report: UpdateReport = { dir: opts.dir, updatedAt: null, sources: [], failed: [] };
  await fs.mkdir(opts.dir, { recursive: true });
  for (const ecosystem of opts.ecosystems ?? DEFAULT_ECOSYSTEMS) {
    opts.signal?.throwIfAborted();
    const url = `${baseUrl}/${encodeURIComponent(ecosystem)}/all.zip`;
    try {
      const { bytes, records } = await downloadArchive(doFetch, url, archivePath(opts.dir, ecosystem), opts.signal);
      report.sources.push({ ecosystem, url, bytes, records });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      report.failed.push({ ecosystem, url, reason: (err as Error).message });
    }
  }
  if (report.sources.length > 0) {
    report.updatedAt = new Date().toISOString();
    await writeMetadata(opts.dir, report.updatedAt, report.sources);
  }
  return report;
}

/** Streams `url` to a temporary file beside `target`, checks it, renames it over `target`. */
async function downloadArchive(doFetch: typeof fetch, url: string, target: string, signal?: AbortSignal): Promise<{ bytes: number; records: number }> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.download`);
  try {
    const res = await doFetch(url, signal ? { signal } : {});
    if (!res.ok) throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    if (!res.body) throw new Error('empty response');
    await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(tmp), signal ? { signal } : {});
    let records: number;
    try {
      records = await readZipFile(tmp, () => undefined, () => undefined);
    } catch (err) {
      throw new Error(`not a readable zip: ${(err as Error).message}`, { cause: err });
    }
    if (records === 0) throw new Error('the archive holds no OSV record');
    const { size } = await fs.stat(tmp);
    await fs.rename(tmp, target);
    return { bytes: size, records };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Writes the metadata file atomically, keeping the previous entries of ecosystems not updated now. */
async function writeMetadata(dir: string, updatedAt: string, sources: UpdatedSource[]): Promise<void> {
  const previous = (await readMetadata(dir))?.sources ?? [];
  const now = new Set(sources.map((s) => s.ecosystem));
  const metadata: DatabaseMetadata = { updatedAt, sources: [...previous.filter((s) => !now.has(s.ecosystem)), ...sources] };
  const file = path.join(dir, METADATA_FILE);
  const tmp = path.join(dir, `.${METADATA_FILE}.${randomBytes(6).toString('hex')}`);
  await fs.writeFile(tmp, JSON.stringify(metadata, null, 2) + '\n');
  await fs.rename(tmp, file);
}
