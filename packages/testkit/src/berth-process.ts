import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** A built Berth (`apps/server/dist/cli.js`) running as its own process. */
export interface BerthProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the built server as a child process on a free loopback port with `env` on top of
 * the caller's environment; resolves once it prints its URL. Used by e2e and benchmarks,
 * which test the real build rather than the sources.
 */
export async function startBuiltBerth(
  env: Record<string, string>,
  opts: { root?: string; showLogs?: boolean } = {},
): Promise<BerthProcess> {
  const entry = path.join(opts.root ?? process.cwd(), 'apps/server/dist/cli.js');
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, BERTH_PORT: '0', BERTH_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stopping = false;
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Berth console and registry: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
      if (out.length > 65536) out = out.slice(-4096);
    });
    child.once('exit', (code) => reject(new Error(`Berth exited with ${code} before serving`)));
  });
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`Berth exited unexpectedly (${code ?? signal})\n`);
  });
  if (opts.showLogs) child.stdout!.pipe(process.stderr);
  else child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

/** Sends a child SIGTERM and resolves once it has exited (at once if it already had). */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
