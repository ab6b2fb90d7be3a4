/** A way to name an artifact when pulling it: its digest (exact) or one of its tags (moves). */
export type PullReference = { kind: 'digest'; value: string } | { kind: 'tag'; value: string };

/** `<host>/<repository>/<image>@sha256:…` or `…:<tag>`: what docker and podman pull. */
export function pullReference(host: string, repository: string, image: string, ref: PullReference): string {
  const name = `${host}/${repository}/${image}`;
  return ref.kind === 'digest' ? `${name}@${ref.value}` : `${name}:${ref.value}`;
}

/** The references an artifact can be pulled by: its digest first, then each tag. */
export function pullReferences(artifact: { digest: string; tags: string[] }): PullReference[] {
  return [{ kind: 'digest', value: artifact.digest }, ...artifact.tags.map((tag): PullReference => ({ kind: 'tag', value: tag }))];
}

/** `docker pull …` and `podman pull …` for one reference. */
export function pullCommands(host: string, repository: string, image: string, ref: PullReference): { client: 'docker' | 'podman'; command: string }[] {
  const target = pullReference(host, repository, image, ref);
  return [
    { client: 'docker', command: `docker pull ${target}` },
    { client: 'podman', command: `podman pull ${target}` },
  ];
}
