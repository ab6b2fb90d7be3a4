import type { Permission, Role } from '@berth/store';

/** Who is calling: a console account, or a repository user (a robot of one repository). */
export type Identity =
  | { kind: 'account'; accountId: number; username: string; role: Role }
  | {
      kind: 'repository-user';
      userId: number;
      name: string;
      repository: string;
      permission: Permission;
      /** Names the secret key it signed in with (a fingerprint, neither the key nor its stored hash), so a rotation ends its tokens. */
      key: string;
    };

/** The name written in audit entries and `created_by` columns. */
export function actorName(identity: Identity): string {
  return identity.kind === 'account' ? identity.username : `${identity.repository}+${identity.name}`;
}

/** Registry actions an identity holds on an image of `repository`. */
export function registryActions(identity: Identity | null, repository: string): Set<string> {
  if (!identity) return new Set();
  if (identity.kind === 'account') {
    return identity.role === 'admin' ? new Set(['pull', 'push', 'delete']) : new Set(['pull']);
  }
  if (identity.repository !== repository) return new Set();
  if (identity.permission === 'delete') return new Set(['pull', 'push', 'delete']);
  return identity.permission === 'push' ? new Set(['pull', 'push']) : new Set(['pull']);
}
