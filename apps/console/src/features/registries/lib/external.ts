import type { ConnectionTest, RegistryConnectionRequest } from '@berth/api';

/** The repository top-level names (`busybox`) are listed under. */
export const TOP_LEVEL = '_';

/** The name docker and the registry use for an image of a repository (`_` holds top-level names). */
export function fullImageName(repository: string, image: string): string {
  return repository === TOP_LEVEL ? image : `${repository}/${image}`;
}

/**
 * "Open an image by name": `team/app` → repository `team`, image `app`; `team/tools/cli` →
 * `team`, `tools/cli`; `busybox` → `_`, `busybox`. A tag or digest after the name is dropped;
 * null when it is not an image name.
 */
export function parseImageName(input: string): { repository: string; image: string } | null {
  let name = input.trim().toLowerCase();
  name = name.replace(/@sha256:[a-f0-9]*$/, '');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) name = name.slice(0, colon);
  const component = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
  const parts = name.split('/');
  if (name === '' || !parts.every((p) => component.test(p))) return null;
  if (parts.length === 1) return { repository: TOP_LEVEL, image: parts[0]! };
  return { repository: parts[0]!, image: parts.slice(1).join('/') };
}

/** `docker pull` and `podman pull` of an external image by tag or digest. */
export function externalPullCommands(host: string, fullName: string, ref: { tag: string } | { digest: string }) {
  const target = 'tag' in ref ? `${host}/${fullName}:${ref.tag}` : `${host}/${fullName}@${ref.digest}`;
  return [
    { client: 'docker' as const, command: `docker pull ${target}` },
    { client: 'podman' as const, command: `podman pull ${target}` },
  ];
}

/** Log in with the registry's own account, tag and push, for docker and podman. */
export function externalPushCommands(host: string, fullName: string, username: string | null) {
  const user = username ? ` -u ${username}` : '';
  return (['docker', 'podman'] as const).flatMap((client) => [
    { client, step: 'login' as const, command: `${client} login ${host}${user}` },
    { client, step: 'tag' as const, command: `${client} tag SOURCE_IMAGE[:TAG] ${host}/${fullName}[:TAG]` },
    { client, step: 'push' as const, command: `${client} push ${host}/${fullName}[:TAG]` },
  ]);
}

/**
 * What a connection test was run with, as one string: Save is offered only while the
 * fields still say exactly what the passed test tried.
 */
export function connectionFingerprint(req: RegistryConnectionRequest): string {
  return JSON.stringify([req.type, req.url ?? '', req.insecure, req.mode, req.repository ?? '', req.username ?? '', req.password ?? '']);
}

/** A connection test and the fingerprint of the fields it was run with. */
export interface TestedWith<T> {
  fingerprint: string;
  test: T;
}

/**
 * Where a dialog's test stands against its fields now: `passed` (Save may be offered) only
 * while the fields still say exactly what a passing test tried; `stale` once they changed.
 */
export function testStatus(result: TestedWith<{ ok: boolean }> | null, fingerprint: string): { passed: boolean; stale: boolean } {
  if (!result) return { passed: false, stale: false };
  const same = result.fingerprint === fingerprint;
  return { passed: same && result.test.ok, stale: !same };
}

/** A URL the dialog will send: http(s), a host, no credentials; the server checks the rest. */
export function urlProblem(url: string): 'invalid' | 'credentials' | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'invalid';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'invalid';
  if (parsed.username || parsed.password) return 'credentials';
  return null;
}

/**
 * The connection test a 422 CONNECTION_FAILED carries in `details` (the server's own test
 * before saving), or null when the details are not one. Checked by shape, without zod in the bundle.
 */
export function connectionTestOf(details: unknown): ConnectionTest | null {
  if (!details || typeof details !== 'object') return null;
  const d = details as Partial<ConnectionTest>;
  return typeof d.ok === 'boolean' && typeof d.message === 'string' && typeof d.at === 'string' ? (d as ConnectionTest) : null;
}
