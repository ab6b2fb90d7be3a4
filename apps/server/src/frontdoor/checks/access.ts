import { isImageName } from '@berth/api';
import { imageName, OciError } from '@berth/oci';
import { registryActions } from '../../services/identity.ts';
import type { Caller } from '../authenticate.ts';
import type { V2Context } from '../context.ts';

/** The action a /v2 method needs on an image. */
export function requiredAction(method: string): 'pull' | 'push' | 'delete' {
  if (method === 'GET' || method === 'HEAD') return 'pull';
  if (method === 'DELETE') return 'delete';
  return 'push';
}

/**
 * Whether the caller may do `action` on `name` (`<repository>/<image>`). A name outside the
 * grammar, or without an image part, is nobody's (a mount's `from` arrives unchecked).
 */
export function allowed(caller: Caller, name: string, action: string): boolean {
  if (caller.via !== 'basic' && caller.via !== 'bearer') return false;
  const { repository, image } = imageName(name);
  if (!image || !isImageName(name)) return false;
  if (!registryActions(caller.identity, repository).has(action)) return false;
  if (caller.via === 'bearer') {
    return caller.access.some((a) => a.type === 'repository' && a.name === name && (a.actions.includes(action) || a.actions.includes('*')));
  }
  return true;
}

/**
 * A refusal of access. A 401 carries the scope the client should ask the token service
 * for (and whether the token it sent was too narrow), which the front door turns into a
 * `WWW-Authenticate` challenge.
 */
export class AccessDenied extends OciError {
  constructor(
    code: 'UNAUTHORIZED' | 'DENIED',
    message: string,
    readonly scope: string | null,
    readonly insufficientScope: boolean,
    detail?: unknown,
  ) {
    super(code, message, detail);
  }
}

/**
 * Decides one /v2 request's access. Anonymous or a token without the scope: 401 with a
 * challenge (the client fetches a fitting token); a known caller without the right: 403.
 */
export function access({ req, caller, target }: Pick<V2Context, 'req' | 'caller' | 'target'>): AccessDenied | null {
  const action = requiredAction(req.method);
  const { name, repository } = target;
  if (allowed(caller, name, action)) return null;
  const scope = `repository:${name}:${action === 'pull' ? 'pull' : `pull,${action}`}`;
  const detail = [{ Type: 'repository', Name: name, Action: action }];
  if (caller.via === 'anonymous' || caller.via === 'invalid') {
    return new AccessDenied('UNAUTHORIZED', 'authentication required', scope, false, detail);
  }
  if (caller.via === 'bearer' && registryActions(caller.identity, repository).has(action)) {
    return new AccessDenied('UNAUTHORIZED', 'the token does not cover this scope', scope, true, detail);
  }
  return new AccessDenied('DENIED', 'requested access to the resource is denied', null, false);
}
