/** Which client a command is for. */
export type PushClient = 'docker' | 'podman' | 'helm' | 'oras';

export interface PushCommand {
  client: PushClient;
  step: 'login' | 'tag' | 'push';
  command: string;
}

/**
 * The commands that push into `<host>/<repository>`: log in (username = the repository,
 * the secret key is typed at the prompt, never embedded), tag and push for docker and
 * podman, and pushing OCI artifacts with helm and oras. Upper-case words are placeholders.
 */
export function pushCommands(host: string, repository: string): PushCommand[] {
  const target = `${host}/${repository}`;
  const image = (client: 'docker' | 'podman'): PushCommand[] => [
    { client, step: 'login', command: `${client} login ${host} -u ${repository}` },
    { client, step: 'tag', command: `${client} tag SOURCE_IMAGE[:TAG] ${target}/IMAGE[:TAG]` },
    { client, step: 'push', command: `${client} push ${target}/IMAGE[:TAG]` },
  ];
  return [
    ...image('docker'),
    ...image('podman'),
    { client: 'helm', step: 'login', command: `helm registry login ${host} -u ${repository}` },
    { client: 'helm', step: 'push', command: `helm push CHART.tgz oci://${target}` },
    { client: 'oras', step: 'login', command: `oras login ${host} -u ${repository}` },
    { client: 'oras', step: 'push', command: `oras push ${target}/ARTIFACT:TAG FILE` },
  ];
}
