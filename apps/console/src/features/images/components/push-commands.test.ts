import { describe, expect, it } from 'vitest';
import { pushCommands } from './push-commands';

describe('pushCommands', () => {
  const all = pushCommands('registry.example.com:8443', 'webteam');
  const of = (client: string) => all.filter((c) => c.client === client).map((c) => c.command);

  it('logs in as the repository and never embeds a secret', () => {
    expect(of('docker')[0]).toBe('docker login registry.example.com:8443 -u webteam');
    expect(of('podman')[0]).toBe('podman login registry.example.com:8443 -u webteam');
    for (const c of all) expect(c.command).not.toMatch(/-p\b|--password/);
  });

  it('tags and pushes under host/repository for docker and podman', () => {
    expect(of('docker').slice(1)).toEqual([
      'docker tag SOURCE_IMAGE[:TAG] registry.example.com:8443/webteam/IMAGE[:TAG]',
      'docker push registry.example.com:8443/webteam/IMAGE[:TAG]',
    ]);
    expect(of('podman')[2]).toBe('podman push registry.example.com:8443/webteam/IMAGE[:TAG]');
  });

  it('pushes OCI artifacts with helm and oras', () => {
    expect(of('helm')).toContain('helm push CHART.tgz oci://registry.example.com:8443/webteam');
    expect(of('oras')).toContain('oras push registry.example.com:8443/webteam/ARTIFACT:TAG FILE');
  });
});
