// Test data for this package's tests; not part of its public surface.
import type { PolicyArtifact } from './references.ts';

/** An artifact pushed at `pushedAt` (default 2024-01-01), never pulled, untagged, with no references unless given. */
export function artifact(digest: string, fields: Partial<Omit<PolicyArtifact, 'tags'>> & { tags?: string[]; locked?: string[] } = {}): PolicyArtifact {
  const { tags = [], locked = [], ...rest } = fields;
  return {
    digest,
    size: 100,
    pushedAt: '2024-01-01T00:00:00.000Z',
    pulledAt: null,
    children: [],
    subject: null,
    ...rest,
    tags: [...tags.map((name) => ({ name, locked: false })), ...locked.map((name) => ({ name, locked: true }))],
  };
}
