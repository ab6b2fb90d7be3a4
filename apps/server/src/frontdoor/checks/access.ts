import { registryActions } from '../../services/identity.ts';
import type { Caller } from '../authenticate.ts';
import { OciError } from '@berth/oci';

/** The action a /v2 method needs on an image. */
export function requiredAction(method: string): 'pull' | 'push' | 'delete' {
  if (method === 'GET' || method === 'HEAD') return 'pull';
  if (method === 'DELETE') return 'delete';
  return 'push';
}

/** Whether the caller may do `action` on `name` (`<repository>/<image>`). */
export function allowed(caller: Caller, name: string, action: string): boolean {
  if (caller.via !== 'basic' && caller.via !== 'bearer') return false;
  const repository = name.slice(0, name.indexOf('/'));
  if (!registryActions(caller.identity, repository).has(action)) return false;
  if (caller.via === 'bearer') {
    return caller.access.some((a) => a.type === 'repository' && a.name === name && (a.actions.includes(action) || a.actions.includes('*')));
  }
  return true;
}

/**
 * Decides one /v2 request's access. Anonymous or a token without the scope: 401 with a
 * challenge (the client fetches a fitting token); a known caller without the right: 403.
 */
export function checkAccess(
  caller: Caller,
  name: string,
  action: string,
): { challenge: string | null; insufficientScope: boolean; error: OciError } | null {
  if (allowed(caller, name, action)) return null;
  const scope = `repository:${name}:${action === 'pull' ? 'pull' : `pull,${action}`}`;
  if (caller.via === 'anonymous' || caller.via === 'invalid') {
    return { challenge: scope, insufficientScope: false, error: new OciError('UNAUTHORIZED', 'authentication required', [{ Type: 'repository', Name: name, Action: action }]) };
  }
  const repository = name.slice(0, name.indexOf('/'));
  if (caller.via === 'bearer' && registryActions(caller.identity, repository).has(action)) {
    return { challenge: scope, insufficientScope: true, error: new OciError('UNAUTHORIZED', 'the token does not cover this scope', [{ Type: 'repository', Name: name, Action: action }]) };
  }
  return { challenge: null, insufficientScope: false, error: new OciError('DENIED', 'requested access to the resource is denied') };
}
