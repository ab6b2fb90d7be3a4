import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDir } from './ports.ts';

/** A user name and password (or secret key) for a registry. */
export interface Credentials {
  username: string;
  password: string;
}

/** Output of a finished command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Thrown when a CLI exits non-zero; carries what it printed. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${command} ${args.join(' ')} exited with ${exitCode}\nstderr: ${stderr.trim()}\nstdout: ${stdout.trim().slice(0, 2000)}`);
    this.name = 'CommandError';
  }
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  /** Full environment of the child (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  cwd?: string;
  /** Kill the child after this many milliseconds (default 300 000). */
  timeoutMs?: number;
}

/**
 * Runs a program (no shell), captures stdout and stderr, and rejects with a
 * {@link CommandError} on a non-zero exit. Secrets given as `input` never appear in
 * the argument list, and so never in the error message.
 */
export function runCommand(command: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandError(command, args, code, stdout, stderr));
    });
    child.stdin.on('error', () => {
      // the child may exit before reading its input; the exit code tells the story
    });
    child.stdin.end(opts.input ?? '');
  });
}

function installed(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of skopeo; `BERTH_SKOPEO_BIN` overrides. */
export const SKOPEO_BIN = process.env.BERTH_SKOPEO_BIN ?? '/usr/bin/skopeo';
/** Path of podman; `BERTH_PODMAN_BIN` overrides. */
export const PODMAN_BIN = process.env.BERTH_PODMAN_BIN ?? '/usr/bin/podman';

/** True when skopeo is installed. */
export function skopeoInstalled(): boolean {
  return installed(SKOPEO_BIN);
}

/** True when podman is installed. */
export function podmanInstalled(): boolean {
  return installed(PODMAN_BIN);
}

// ---------------------------------------------------------------- skopeo

const EMPTY_AUTH = '{"auths":{}}\n';
let sandbox: { home: string; authFile: string } | null = null;

/**
 * A shared sandbox under the OS temp dir: an empty HOME (so nothing is read from the
 * user's ~/.docker/config.json or ~/.config/containers/auth.json, which containers/image
 * consults after REGISTRY_AUTH_FILE) and an empty auth file (`{"auths":{}}`). Read-only
 * commands use it; it is restored if something wrote to it, and never holds a secret
 * because the login wrappers require their own auth file.
 */
function readOnlySandbox(): { home: string; authFile: string } {
  if (sandbox === null) {
    const base = join(tmpdir(), 'berth-testkit');
    const home = join(base, 'home');
    mkdirSync(home, { recursive: true });
    sandbox = { home, authFile: join(base, 'empty-auth.json') };
  }
  let current = '';
  try {
    current = readFileSync(sandbox.authFile, 'utf8');
  } catch {
    // not written yet
  }
  if (current !== EMPTY_AUTH) {
    const tmp = `${sandbox.authFile}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, EMPTY_AUTH);
    renameSync(tmp, sandbox.authFile);
  }
  return sandbox;
}

/** The empty auth file (`{"auths":{}}`) skopeo calls use unless given their own. */
export function isolatedAuthFile(): string {
  return readOnlySandbox().authFile;
}

/** Environment that keeps containers/image away from the user's credentials. */
function isolatedEnv(home: string, authFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    DOCKER_CONFIG: join(home, '.docker'),
    REGISTRY_AUTH_FILE: authFile,
    ...extra,
  };
}

/** Options shared by the skopeo wrappers. */
export interface SkopeoOptions {
  /** Auth file to read (and, for login, write); default {@link isolatedAuthFile}. */
  authFile?: string;
  timeoutMs?: number;
}

const TRANSPORT = /^(docker|oci|oci-archive|dir|docker-archive|docker-daemon|containers-storage):/;

/** `docker://` + ref unless ref already names a transport (`oci:DIR:TAG`, `docker://…`, …). */
export function toTransportRef(ref: string): string {
  return TRANSPORT.test(ref) ? ref : `docker://${ref}`;
}

function skopeoEnv(opts: SkopeoOptions): NodeJS.ProcessEnv {
  const box = readOnlySandbox();
  return isolatedEnv(box.home, opts.authFile ?? box.authFile);
}

function credsArg(flag: string, creds: Credentials | undefined): string[] {
  return creds ? [`${flag}=${creds.username}:${creds.password}`] : [];
}

/** Runs skopeo with the given arguments in the isolated auth environment. */
export function skopeo(args: readonly string[], opts: SkopeoOptions & { input?: string } = {}): Promise<CommandResult> {
  return runCommand(SKOPEO_BIN, args, { env: skopeoEnv(opts), input: opts.input, timeoutMs: opts.timeoutMs });
}

/** Options of {@link skopeoCopy}. */
export interface SkopeoCopyOptions extends SkopeoOptions {
  srcCreds?: Credentials;
  destCreds?: Credentials;
  /** Copy a whole index / manifest list with every child (`--all`). */
  all?: boolean;
  /**
   * `--preserve-digests` (default true). Without it skopeo gzips uncompressed layers
   * on the way to a registry, which changes the manifest digest.
   */
  preserveDigests?: boolean;
}

/**
 * `skopeo copy SRC DEST` without TLS verification on either side and without
 * signature policy checks. Refs without a transport get `docker://`.
 */
export async function skopeoCopy(src: string, dest: string, opts: SkopeoCopyOptions = {}): Promise<CommandResult> {
  const args = [
    '--insecure-policy',
    'copy',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    ...(opts.preserveDigests === false ? [] : ['--preserve-digests']),
    ...(opts.all ? ['--all'] : []),
    ...credsArg('--src-creds', opts.srcCreds),
    ...credsArg('--dest-creds', opts.destCreds),
    toTransportRef(src),
    toTransportRef(dest),
  ];
  return skopeo(args, opts);
}

/** Options of {@link skopeoInspect}. */
export interface SkopeoInspectOptions extends SkopeoOptions {
  creds?: Credentials;
  /** The manifest (or index) exactly as the registry serves it (`--raw`). */
  raw?: boolean;
  /** The image config (`--config`). */
  config?: boolean;
}

/** `skopeo inspect --raw`: the manifest bytes as text, exactly as served. */
export function skopeoInspect(ref: string, opts: SkopeoInspectOptions & { raw: true }): Promise<string>;
/** `skopeo inspect [--config]`: the parsed JSON output. */
export function skopeoInspect(ref: string, opts?: SkopeoInspectOptions): Promise<Record<string, unknown>>;
export async function skopeoInspect(ref: string, opts: SkopeoInspectOptions = {}): Promise<string | Record<string, unknown>> {
  const args = [
    'inspect',
    '--tls-verify=false',
    ...(opts.raw ? ['--raw'] : []),
    ...(opts.config ? ['--config'] : []),
    ...credsArg('--creds', opts.creds),
    toTransportRef(ref),
  ];
  const { stdout } = await skopeo(args, opts);
  return opts.raw ? stdout : (JSON.parse(stdout) as Record<string, unknown>);
}

/** `skopeo list-tags` of a repository (`host/repo/image`, no tag): the tag names. */
export async function skopeoListTags(repo: string, opts: SkopeoOptions & { creds?: Credentials } = {}): Promise<string[]> {
  const { stdout } = await skopeo(['list-tags', '--tls-verify=false', ...credsArg('--creds', opts.creds), toTransportRef(repo)], opts);
  return (JSON.parse(stdout) as { Tags: string[] | null }).Tags ?? [];
}

/**
 * `skopeo delete`. Against distribution, a ref by tag is resolved to its digest and
 * deleting the digest removes every tag on it.
 */
export async function skopeoDelete(ref: string, opts: SkopeoOptions & { creds?: Credentials } = {}): Promise<CommandResult> {
  return skopeo(['delete', '--tls-verify=false', ...credsArg('--creds', opts.creds), toTransportRef(ref)], opts);
}

/**
 * `skopeo login` (password on stdin) into `opts.authFile`, which is required so a login
 * never lands in a shared file. Pass the same `authFile` to later calls to use it.
 */
export async function skopeoLogin(host: string, creds: Credentials, opts: SkopeoOptions & { authFile: string }): Promise<CommandResult> {
  await writeFile(opts.authFile, EMPTY_AUTH, { flag: 'wx' }).catch(() => undefined);
  return skopeo(['login', '--tls-verify=false', '--authfile', opts.authFile, '--username', creds.username, '--password-stdin', host], {
    ...opts,
    input: creds.password,
  });
}

/** `skopeo logout` from `host` in `opts.authFile`. */
export async function skopeoLogout(host: string, opts: SkopeoOptions & { authFile: string }): Promise<CommandResult> {
  return skopeo(['logout', '--authfile', opts.authFile, host], opts);
}

// ---------------------------------------------------------------- podman

/** Options of pulls and pushes with {@link Podman}. */
export interface PodmanTransferOptions {
  /** Per-command credentials (`--creds`), instead of a login. */
  creds?: Credentials;
}

/** A podman bound to its own storage, run dirs and auth file. */
export interface Podman {
  /** Base temp dir holding root, runroot, auth.json, tmp. */
  dir: string;
  root: string;
  runroot: string;
  authFile: string;
  /** Global flags every command gets. */
  globalArgs: readonly string[];
  /** Environment every command gets. */
  env: NodeJS.ProcessEnv;
  /** Runs `podman <global flags> ...args`. */
  run(args: readonly string[], opts?: { input?: string; timeoutMs?: number }): Promise<CommandResult>;
  /** `podman login --password-stdin --tls-verify=false`. */
  login(host: string, username: string, password: string): Promise<CommandResult>;
  logout(host: string): Promise<CommandResult>;
  /** Pulls a ref; resolves to the local image ID. */
  pull(ref: string, opts?: PodmanTransferOptions): Promise<string>;
  /**
   * Pushes a local image to `ref` (default: its own name, `podman push NAME`); resolves
   * to the manifest digest written. Podman may re-encode (e.g. gzip uncompressed layers),
   * so the digest can differ from the one pulled.
   */
  push(local: string, ref?: string, opts?: PodmanTransferOptions & { format?: 'oci' | 'v2s2' }): Promise<string>;
  tag(local: string, ref: string): Promise<void>;
  /** Manifest digest of a local image (`podman image inspect --format {{.Digest}}`). */
  imageDigest(ref: string): Promise<string>;
  /** Removes a local image. */
  rmi(ref: string): Promise<void>;
  /** Unmounts whatever is mounted under its dir and removes it. */
  cleanup(): Promise<void>;
}

/** Mount points at or below `dir`, deepest first, from /proc/self/mountinfo. */
async function mountsUnder(dir: string): Promise<string[]> {
  let info: string;
  try {
    info = await readFile('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const points = info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter((p) => p === dir || p.startsWith(dir + '/'));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/**
 * A podman whose storage (`--root`, `--runroot`, vfs driver), libpod tmpdir, network
 * config, temp files (TMPDIR) and auth file (REGISTRY_AUTH_FILE = `{"auths":{}}`) all
 * live in a fresh temp dir: nothing touches the user's containers storage or logins.
 * Works as root without systemd (`--cgroup-manager=cgroupfs --events-backend=file`).
 * Call `cleanup()` when done.
 */
export async function createPodman(): Promise<Podman> {
  if (!podmanInstalled()) throw new Error(`podman not found at ${PODMAN_BIN} (apt-get install podman)`);
  const base = await tempDir('podman');
  const dir = await realpath(base.path);
  const root = join(dir, 'root');
  const runroot = join(dir, 'run');
  const authFile = join(dir, 'auth.json');
  await Promise.all(['root', 'run', 'tmp', 'libpod', 'networks', 'home'].map((d) => mkdir(join(dir, d), { recursive: true })));
  await writeFile(authFile, '{"auths":{}}\n');
  const globalArgs = [
    '--root', root,
    '--runroot', runroot,
    '--storage-driver', 'vfs',
    '--tmpdir', join(dir, 'libpod'),
    '--network-config-dir', join(dir, 'networks'),
    '--cgroup-manager', 'cgroupfs',
    '--events-backend', 'file',
  ];
  const env = isolatedEnv(join(dir, 'home'), authFile, { TMPDIR: join(dir, 'tmp') });
  const run = (args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}) =>
    runCommand(PODMAN_BIN, [...globalArgs, ...args], { env, input: opts.input, timeoutMs: opts.timeoutMs });
  const creds = (c: Credentials | undefined) => (c ? [`--creds=${c.username}:${c.password}`] : []);

  const podman: Podman = {
    dir,
    root,
    runroot,
    authFile,
    globalArgs,
    env,
    run,
    login: (host, username, password) =>
      run(['login', '--tls-verify=false', '--authfile', authFile, '--username', username, '--password-stdin', host], { input: password }),
    logout: (host) => run(['logout', '--authfile', authFile, host]),
    async pull(ref, opts = {}) {
      const { stdout } = await run(['pull', '--quiet', '--tls-verify=false', ...creds(opts.creds), ref]);
      return stdout.trim().split('\n').pop() ?? '';
    },
    async push(local, ref = local, opts = {}) {
      const digestFile = join(dir, 'tmp', `digest-${Date.now()}-${Math.random().toString(36).slice(2)}`);
      await run([
        'push',
        '--quiet',
        '--tls-verify=false',
        '--digestfile', digestFile,
        ...(opts.format ? ['--format', opts.format] : []),
        ...creds(opts.creds),
        local,
        ref,
      ]);
      const digest = (await readFile(digestFile, 'utf8')).trim();
      await rm(digestFile, { force: true });
      return digest;
    },
    async tag(local, ref) {
      await run(['tag', local, ref]);
    },
    async imageDigest(ref) {
      const { stdout } = await run(['image', 'inspect', '--format', '{{.Digest}}', ref]);
      return stdout.trim();
    },
    async rmi(ref) {
      await run(['rmi', ref]);
    },
    async cleanup() {
      for (const point of await mountsUnder(dir)) {
        try {
          await runCommand('umount', [point]);
        } catch {
          await runCommand('umount', ['-l', point]).catch(() => undefined);
        }
      }
      await base.cleanup();
    },
  };
  return podman;
}
