import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from './clients.ts';
import { stopChild } from './berth-process.ts';

/** A small disk of its own (tmpfs) mounted at `path`, in bytes; `readOnly` mounts it read-only from the start. */
export interface DiskSpec {
  path: string;
  sizeBytes: number;
  readOnly?: boolean;
}

/** A built Berth running on small disks of its own, which the test can fill or make read-only. */
export interface BerthOnDisks {
  url: string;
  pid: number;
  /** The same `path` as the process sees it, reached from outside its mount namespace (for reads and fills). */
  outside(p: string): string;
  /**
   * Writes a filler file on the disk at `disk` until the disk has no byte left, then gives
   * `leaveBytes` back (default 0); returns the filler's size. Calling it again refills.
   */
  fill(disk: string, leaveBytes?: number): Promise<number>;
  /** Removes what {@link fill} wrote. */
  unfill(disk: string): Promise<void>;
  /** Remounts the disk at `disk` read-only (`true`) or read-write. */
  setReadOnly(disk: string, readOnly: boolean): Promise<void>;
  /** Free bytes on the disk at `disk`. */
  freeBytes(disk: string): Promise<number>;
  stop(): Promise<void>;
}

const FILLER = '.berth-test-filler';

/**
 * Starts the built server (`apps/server/dist/cli.js`) in a mount namespace of its own, under
 * a user namespace (`unshare -rm`, which needs no privileges where user namespaces are
 * allowed), with each of `disks` a fresh tmpfs of that size: a real disk that really fills
 * (ENOSPC) and really goes read-only (EROFS). The disks vanish with the process. Fails with
 * a clear message when the namespace or the mounts cannot be made; it never skips.
 */
export async function startBuiltBerthOnDisks(
  disks: DiskSpec[],
  env: Record<string, string>,
  opts: { root?: string; showLogs?: boolean } = {},
): Promise<BerthOnDisks> {
  const entry = path.join(opts.root ?? process.cwd(), 'apps/server/dist/cli.js');
  await fs.access(entry).catch(() => {
    throw new Error(`${entry} is missing: run \`npm run build\` first`);
  });
  // In order, so a disk may sit inside another (its mount point is made on the outer one).
  const mounts = [
    ...disks.map((d) => `mkdir -p ${quote(d.path)} && mount -t tmpfs -o size=${d.sizeBytes} tmpfs ${quote(d.path)}`),
    ...disks.filter((d) => d.readOnly).map((d) => `mount -o remount,ro ${quote(d.path)}`),
  ].join(' && ');
  const child = spawn('unshare', ['-rm', 'sh', '-c', `${mounts} && exec ${quote(process.execPath)} ${quote(entry)}`], {
    env: { ...process.env, BERTH_PORT: '0', BERTH_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stopping = false;
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 8192) stderr += c.toString();
    if (opts.showLogs) process.stderr.write(c);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('error', (err) =>
      reject(new Error(`could not start unshare (util-linux) for Berth's test disks: ${err.message}`)),
    );
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Berth console and registry: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!.replace('localhost', '127.0.0.1'));
      if (out.length > 65536) out = out.slice(-4096);
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `Berth on test disks exited with ${code} before serving (the disks need a user and mount namespace ` +
            `with tmpfs mounts: unshare -rm, mount -t tmpfs):\n${stderr.trim()}`,
        ),
      ),
    );
  });
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`Berth exited unexpectedly (${code ?? signal})\n`);
  });
  if (opts.showLogs) child.stdout!.pipe(process.stderr);
  else child.stdout!.resume();
  const pid = child.pid!;
  const outside = (p: string) => path.join(`/proc/${pid}/root`, p);
  // A command inside the namespace, where the disks are mounted and its root may remount them.
  const inside = async (script: string) => {
    try {
      await runCommand('nsenter', ['-t', String(pid), '-U', '-m', '--preserve-credentials', '--', 'sh', '-c', script]);
    } catch (err) {
      throw new Error(`in Berth's mount namespace: ${script}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return {
    url,
    pid,
    outside,
    async fill(disk, leaveBytes = 0) {
      const handle = await fs.open(outside(path.join(disk, FILLER)), 'a');
      try {
        for (const size of [1 << 20, 4096, 1]) {
          const chunk = Buffer.alloc(size, 0x5a);
          for (;;) {
            try {
              // A short write is the disk running out; the next one fails with ENOSPC.
              await handle.write(chunk);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw err;
            }
          }
        }
        const size = Math.max((await handle.stat()).size - leaveBytes, 0);
        await handle.truncate(size);
        return size;
      } finally {
        await handle.close();
      }
    },
    async unfill(disk) {
      await fs.rm(outside(path.join(disk, FILLER)), { force: true });
    },
    async setReadOnly(disk, readOnly) {
      await inside(`mount -o remount,${readOnly ? 'ro' : 'rw'} ${quote(disk)}`);
    },
    async freeBytes(disk) {
      const st = await fs.statfs(outside(disk));
      return st.bavail * st.bsize;
    },
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
