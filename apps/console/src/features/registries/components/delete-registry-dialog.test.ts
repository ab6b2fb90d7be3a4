import { describe, expect, it } from 'vitest';
import { canDeleteUpstream } from './delete-registry-dialog';

describe('canDeleteUpstream', () => {
  const rw = { mode: 'read-write' as const, capabilities: ['browse', 'pull', 'push', 'delete'] as const, repository: 'team' };
  it('is offered for a read-write registry that may delete and is bound to one repository', () => {
    expect(canDeleteUpstream({ ...rw, capabilities: [...rw.capabilities] })).toBe(true);
  });
  it('is not offered for a pull-only one, one without delete, or one not bound to a repository', () => {
    expect(canDeleteUpstream({ ...rw, capabilities: [...rw.capabilities], mode: 'pull-only' })).toBe(false);
    expect(canDeleteUpstream({ ...rw, capabilities: ['browse', 'pull', 'push'] })).toBe(false);
    expect(canDeleteUpstream({ ...rw, capabilities: [...rw.capabilities], repository: null })).toBe(false);
  });
});
