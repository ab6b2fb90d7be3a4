// Reading OSV records off disk: loose `*.json` records anywhere under a directory, and zip
// archives of them (OSV's per-ecosystem `all.zip`), each zip read entry by entry from the
// file so that a 100 MB archive is never held whole.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { OsvRecord } from '../types.ts';
import { isOsvRecord } from './record.ts';
import { readZipJsonEntries } from './zip-reader.ts';

/** The file `updateDatabase` writes beside the archives it downloaded. */
export const METADATA_FILE = 'berth-vuln-db.json';

/** What `updateDatabase` records about the last update. */
export interface DatabaseMetadata {
  updatedAt: string;
  sources: { ecosystem: string; url: string; bytes: number; records: number }[];
}

/** The record files and archives of a database directory. */
export interface DatabaseFiles {
  /** Loose OSV records, absolute paths, sorted. */
  json: string[];
  /** Zip archives of records, absolute paths, sorted. */
  zips: string[];
}

/** Called with a file (and zip entry) that could not be read as a record, and why. */
export type ProblemHandler = (where: string, message: string) => void;

/**
 * The `*.json` records and `*.zip` archives under `dir`, in subdirectories too. Hidden
 * files and directories (an update's partial downloads) and the update's metadata file are
 * not records. A missing directory has none.
 */
export async function listDatabaseFiles(dir: string): Promise<DatabaseFiles> {
  const json: string[] = [];
  const zips: string[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw err;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (!e.isFile()) continue;
      else if (e.name.endsWith('.zip')) zips.push(full);
      else if (e.name.endsWith('.json') && !(d === dir && e.name === METADATA_FILE)) json.push(full);
    }
  };
  await walk(dir);
  return { json: json.sort(), zips: zips.sort() };
}

/** The metadata an update wrote in `dir`, or null when there is none or it is unreadable. */
export async function readMetadata(dir: string): Promise<DatabaseMetadata | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(dir, METADATA_FILE), 'utf8')) as Partial<DatabaseMetadata>;
    if (typeof parsed.updatedAt !== 'string') return null;
    return { updatedAt: parsed.updatedAt, sources: Array.isArray(parsed.sources) ? parsed.sources : [] };
  } catch {
    return null;
  }
}

/** The OSV records one JSON text holds: a record, or an array of them. */
function recordsOf(text: string): OsvRecord[] {
  const value: unknown = JSON.parse(text);
  const list = Array.isArray(value) ? value : [value];
  const records = list.filter(isOsvRecord);
  if (records.length === 0) throw new Error('not an OSV record (no id)');
  return records;
}

/**
 * Reads loose record files, a few at a time, handing each record to `onRecord`. A file
 * that is not JSON or not a record is reported to `onProblem` and skipped. Returns how many
 * records were read.
 */
export async function readJsonFiles(files: readonly string[], onRecord: (r: OsvRecord) => void, onProblem: ProblemHandler): Promise<number> {
  let next = 0;
  let count = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      try {
        for (const r of recordsOf(await fs.readFile(file, 'utf8'))) {
          onRecord(r);
          count += 1;
        }
      } catch (err) {
        onProblem(file, (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));
  return count;
}

/**
 * Reads every `*.json` entry of a zip archive, one entry in memory at a time, handing each
 * record to `onRecord`. An entry that is not a record is reported and skipped; an archive
 * that is not a readable zip rejects. Returns how many records were read.
 */
export async function readZipFile(file: string, onRecord: (r: OsvRecord) => void, onProblem: ProblemHandler): Promise<number> {
  let count = 0;
  await readZipJsonEntries(
    file,
    (_name, text) => {
      for (const r of recordsOf(text)) {
        onRecord(r);
        count += 1;
      }
    },
    (name, message) => onProblem(`${file}:${name}`, message),
  );
  return count;
}
