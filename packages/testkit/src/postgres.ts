import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, chownSync, constants, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { canSetPdeathsig, SETPRIV } from './distribution.ts';
import { freePort, tempDir, type TempDir } from './ports.ts';

/** PostgreSQL's server binaries; `BERTH_POSTGRES_BIN_DIR` overrides Debian's postgresql-15 location. */
export const POSTGRES_BIN_DIR = process.env.BERTH_POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** A running throwaway PostgreSQL cluster. */
export interface Postgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust auth, superuser). */
  url: string;
  port: number;
  dataDir: string;
  /** Recent server log, for diagnostics. */
  logs(): string;
  /** Fast shutdown (what `pg_ctl stop -m fast` does), then removes the cluster's directory. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** True when initdb and postgres are present and executable. */
export function postgresInstalled(): boolean {
  try {
    for (const bin of ['initdb', 'postgres']) accessSync(join(POSTGRES_BIN_DIR, bin), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const isRoot = () => process.getuid?.() === 0;

/**
 * The command line that runs `bin` as the `postgres` user when this process is root
 * (initdb and postgres refuse root). setpriv changes the user first and then sets
 * PR_SET_PDEATHSIG (a credential change would clear it), so with `dieWithParent` the
 * program is killed when this process dies, however it dies.
 */
function asPostgres(bin: string, args: string[], dieWithParent: boolean): [string, string[]] {
  const path = join(POSTGRES_BIN_DIR, bin);
  const user = isRoot() ? ['--reuid=postgres', '--regid=postgres', '--init-groups'] : [];
  const death = dieWithParent && canSetPdeathsig() ? ['--pdeathsig', 'KILL'] : [];
  if (user.length === 0 && death.length === 0) return [path, args];
  return [SETPRIV, [...user, ...death, '--', path, ...args]];
}

/** Makes `dir` belong to the postgres user when this process is root. */
async function giveToPostgres(dir: string): Promise<void> {
  if (!isRoot()) return;
  const ids = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  let uid: number;
  let gid: number;
  try {
    [uid, gid] = [await ids('-u'), await ids('-g')];
  } catch {
    throw new Error('there is no postgres user to run PostgreSQL as (apt-get install postgresql-15 creates it)');
  }
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
}

/** Clusters started and not yet stopped, with the directory each one owns. */
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;

/** Aborts clusters still running when the test process exits and removes their directories. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [child, dir] of running) {
      child.kill('SIGQUIT'); // immediate shutdown: the postmaster takes its backends down too
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  });
}

const READY = 'database system is ready to accept connections';
const PORT_TAKEN = /could not bind|could not create any TCP\/IP sockets|Address already in use/;

/**
 * Starts a throwaway PostgreSQL cluster (Debian's postgresql-15) on a free port of
 * 127.0.0.1, in a temp directory owned by `postgres`: `initdb -A trust -U postgres`
 * (UTF-8, C locale), then the server with its Unix socket in that directory and
 * durability off (fsync, synchronous_commit, full_page_writes) since nothing survives it.
 *
 * The server runs as a child of this process — not daemonised by `pg_ctl start` — so
 * that PR_SET_PDEATHSIG kills it with the test process, like {@link startDistribution}'s
 * registry. Fails with a clear message when PostgreSQL is not installed.
 */
export async function startPostgres(opts: { startTimeoutMs?: number } = {}): Promise<Postgres> {
  if (!postgresInstalled()) {
    throw new Error(
      `PostgreSQL 15 is not installed: no initdb/postgres in ${POSTGRES_BIN_DIR}. ` +
        `Run \`npm run setup\` (apt-get install postgresql-15) or set BERTH_POSTGRES_BIN_DIR.`,
    );
  }
  const work = await tempDir('postgres');
  try {
    await giveToPostgres(work.path);
    const dataDir = join(work.path, 'data');
    const [initdb, initArgs] = asPostgres(
      'initdb',
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'],
      false,
    );
    await run(initdb, initArgs, { cwd: work.path }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed: ${err.stderr || err.message}`);
    });
    // freePort() may race with another process for the port: try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return await launch(work, dataDir, port, opts.startTimeoutMs ?? 30_000);
      } catch (err) {
        if (!(err instanceof PortTaken) || attempt === 5) throw err;
      }
    }
  } catch (err) {
    await work.cleanup();
    throw err;
  }
}

class PortTaken extends Error {}

async function launch(work: TempDir, dataDir: string, port: number, timeoutMs: number): Promise<Postgres> {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: work.path,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const [command, commandArgs] = asPostgres('postgres', args, true);
  const child = spawn(command, commandArgs, { cwd: work.path, stdio: ['ignore', 'ignore', 'pipe'] });
  running.set(child, work.path);
  installExitHook();

  let log = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  child.stderr!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not become ready in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.stderr!.on('data', (chunk: string) => {
      log = (log + chunk).slice(-64 * 1024);
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const message = `PostgreSQL exited (${code ?? signal}) before it was ready:\n${log}`;
      reject(PORT_TAKEN.test(log) ? new PortTaken(message) : new Error(message));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown: roll back open transactions, disconnect, checkpoint
      const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await work.cleanup();
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDir, logs: () => log, stop };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates database `name` on the server of `url` (connecting as that URL's user) and
 * returns the URL of the new database. `icuLocale` (e.g. `en-US`) gives it that ICU
 * collation by default instead of the cluster's C locale.
 */
export async function createDatabase(url: string, name: string, opts: { icuLocale?: string } = {}): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let ddl = `create database ${quoteIdent(name)}`;
    if (opts.icuLocale) ddl += ` locale_provider icu icu_locale '${opts.icuLocale.replace(/'/g, "''")}' template template0`;
    await client.query(ddl);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${encodeURIComponent(name)}`;
  return target.toString();
}
