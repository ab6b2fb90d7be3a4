import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, rmSync } from 'node:fs';
import https from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { freePort, tempDir } from './ports.ts';

/** Path of CNCF distribution's binary; `BERTH_DISTRIBUTION_BIN` overrides the Debian location. */
export const DISTRIBUTION_BIN = process.env.BERTH_DISTRIBUTION_BIN ?? '/usr/bin/docker-registry';

/** Options of {@link startDistribution}. */
export interface DistributionOptions {
  /**
   * Filesystem storage root. When given it is kept on stop (so a later start can reuse it);
   * when omitted a temp directory is made and removed by `stop()`.
   */
  storageDir?: string;
  /** Basic auth through an htpasswd file (bcrypt) holding this one user. */
  auth?: { username: string; password: string };
  /** Notifications endpoint URL: distribution POSTs event envelopes here. */
  notificationsUrl?: string;
  /** Extra headers sent with each notification (e.g. `{ Authorization: 'Bearer x' }`). */
  notificationsHeaders?: Record<string, string>;
  /**
   * App log level (default `info`). The bound port is read from the info-level
   * `listening on` line; with `warn`/`error` a port from {@link freePort} is used instead.
   */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Docker token auth instead of htpasswd: the token service's realm, service, issuer and signing root (see token-server.ts). */
  tokenAuth?: { realm: string; service: string; issuer: string; rootCertPath: string };
  /** Serve TLS with this certificate: the URL is then `https://`. */
  tls?: { certPath: string; keyPath: string };
  /** Extra environment for the registry process (`REGISTRY_*` overrides of config keys). */
  env?: Record<string, string>;
  /** Milliseconds to wait for `/v2/` to answer (default 15 000). */
  startTimeoutMs?: number;
}

/** A running distribution registry. */
export interface Distribution {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** `127.0.0.1:PORT`, as image references spell the registry. */
  host: string;
  port: number;
  storageDir: string;
  /** The config.yml the process was started with (e.g. for `docker-registry garbage-collect`). */
  configPath: string;
  /** Recent stderr output (app log), for diagnostics. */
  logs(): string;
  /** Kills the process, waits for it to exit, removes the temp files this helper made. */
  stop(): Promise<void>;
}

/** True when the distribution binary is present and executable. */
export function distributionInstalled(): boolean {
  try {
    accessSync(DISTRIBUTION_BIN, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** util-linux setpriv, used to start servers with PR_SET_PDEATHSIG (see {@link canSetPdeathsig}). */
export const SETPRIV = '/usr/bin/setpriv';
let pdeathsig: boolean | null = null;

/** True when servers can be started under `setpriv --pdeathsig KILL` (Linux with util-linux). */
export function canSetPdeathsig(): boolean {
  if (pdeathsig === null) {
    try {
      accessSync(SETPRIV, constants.X_OK);
      pdeathsig = process.platform === 'linux';
    } catch {
      pdeathsig = false;
    }
  }
  return pdeathsig;
}

/** Registries started and not yet stopped, with the temp dir each one owns. */
const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;

/** Kills registries still running when the test process exits and removes their temp dirs. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [child, dir] of running) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** One bcrypt htpasswd line (`user:$2b$...`), as distribution's htpasswd auth reads it. */
export function htpasswdLine(username: string, password: string, cost = 4): string {
  // Cost 4 (the minimum) on purpose: distribution checks the hash on every request.
  return `${username}:${bcrypt.hashSync(password, cost)}`;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

function configYaml(opts: DistributionOptions, storageDir: string, htpasswdPath: string | null, level: string): string {
  const lines = [
    'version: 0.1',
    'log:',
    `  level: ${level}`,
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    '  addr: 127.0.0.1:0',
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (opts.tls) {
    lines.push('  tls:', `    certificate: ${yamlString(opts.tls.certPath)}`, `    key: ${yamlString(opts.tls.keyPath)}`);
  }
  if (htpasswdPath) {
    lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${yamlString(htpasswdPath)}`);
  } else if (opts.tokenAuth) {
    const t = opts.tokenAuth;
    lines.push('auth:', '  token:', `    realm: ${yamlString(t.realm)}`, `    service: ${yamlString(t.service)}`, `    issuer: ${yamlString(t.issuer)}`, `    rootcertbundle: ${yamlString(t.rootCertPath)}`);
  }
  if (opts.notificationsUrl) {
    lines.push(
      'notifications:',
      '  endpoints:',
      '    - name: berth',
      `      url: ${yamlString(opts.notificationsUrl)}`,
      '      timeout: 2s',
      '      threshold: 5',
      '      backoff: 200ms',
    );
    const headers = Object.entries(opts.notificationsHeaders ?? {});
    if (headers.length > 0) {
      lines.push('      headers:');
      for (const [name, value] of headers) lines.push(`        ${yamlString(name)}: [${yamlString(value)}]`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The status of a GET over TLS to a registry with a self-signed certificate (readiness only: the certificate is not checked). */
function httpsStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
  });
}

const LISTENING = /listening on (?:\[[^\]]*\]|[^\s:"]+):(\d+)/;

/**
 * Starts Debian's CNCF distribution (`docker-registry serve`) on 127.0.0.1 with
 * filesystem storage, deletes enabled, and optional htpasswd auth and notifications.
 * Resolves once `GET /v2/` answers (200, or 401 with auth).
 */
export async function startDistribution(opts: DistributionOptions = {}): Promise<Distribution> {
  if (!distributionInstalled()) throw new Error(`distribution not found at ${DISTRIBUTION_BIN} (apt-get install docker-registry)`);
  const work = await tempDir('distribution');
  const storageDir = opts.storageDir ?? join(work.path, 'storage');
  await mkdir(storageDir, { recursive: true });
  let htpasswdPath: string | null = null;
  if (opts.auth) {
    htpasswdPath = join(work.path, 'htpasswd');
    await writeFile(htpasswdPath, htpasswdLine(opts.auth.username, opts.auth.password) + '\n');
  }
  const level = opts.logLevel ?? 'info';
  const readsPort = level === 'info' || level === 'debug';
  const configPath = join(work.path, 'config.yml');
  await writeFile(configPath, configYaml(opts, storageDir, htpasswdPath, level));

  const fixedPort = readsPort ? 0 : await freePort();
  // setpriv (util-linux) execs the registry with PR_SET_PDEATHSIG, so it dies with this
  // process even when that is killed by a signal and no exit hook runs.
  const [command, args] = canSetPdeathsig()
    ? [SETPRIV, ['--pdeathsig', 'KILL', DISTRIBUTION_BIN, 'serve', configPath]]
    : [DISTRIBUTION_BIN, ['serve', configPath]];
  const child = spawn(command, args, {
    cwd: work.path,
    env: { ...process.env, ...opts.env, REGISTRY_HTTP_ADDR: `127.0.0.1:${fixedPort}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.set(child, work.path);
  installExitHook();

  let log = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));

  const port = await new Promise<number>((resolve, reject) => {
    if (!readsPort) resolve(fixedPort);
    const timer = readsPort
      ? setTimeout(() => reject(new Error(`distribution did not report its port:\n${log}`)), opts.startTimeoutMs ?? 15_000)
      : undefined;
    child.stderr!.setEncoding('utf8');
    let found = !readsPort;
    child.stderr!.on('data', (chunk: string) => {
      log = (log + chunk).slice(-64 * 1024);
      if (found) return;
      const m = LISTENING.exec(log);
      if (m) {
        found = true;
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`distribution exited (${code ?? signal}) before listening:\n${log}`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    await work.cleanup();
    throw err;
  });

  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await work.cleanup();
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 15_000);
  for (;;) {
    try {
      const status = opts.tls ? await httpsStatus(`${url}/v2/`) : await fetch(`${url}/v2/`).then(async (res) => (await res.arrayBuffer(), res.status));
      if (status === 200 || status === 401) break;
    } catch {
      // not accepting connections yet
    }
    if (exitedEarly || Date.now() > deadline) {
      await stop();
      throw new Error(`distribution at ${url} did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }

  return { url, host: `127.0.0.1:${port}`, port, storageDir, configPath, logs: () => log, stop };
}
