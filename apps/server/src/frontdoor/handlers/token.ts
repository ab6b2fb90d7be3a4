import type { RequestHandler } from 'express';
import { isImageName } from '@berth/api';
import { imageName } from '@berth/oci';
import { registryActions, type Identity } from '../../services/identity.ts';
import { parseBasic } from '../authenticate.ts';
import type { FrontDoorDeps } from '../deps.ts';
import { failedLoginLimiter } from '../failed-logins.ts';
import { parseScopes, type Access } from '../tokens.ts';

/**
 * The Docker token service (`/service/token`): a token for the scopes asked, cut down to
 * what the caller holds. Anonymous callers get a token with no access (clients then show
 * the login error). Failed logins are rate limited per address.
 */
export function tokenService(deps: FrontDoorDeps): RequestHandler[] {
  const handler: RequestHandler = async (req, res) => {
    const basic = parseBasic(req.headers.authorization);
    let identity: Identity | null = null;
    if (basic) {
      identity = await deps.accounts.authenticate(basic.username, basic.password);
      if (!identity) {
        res.setHeader('www-authenticate', 'Basic realm="Berth"');
        res.status(401).json({ errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or secret key' }] });
        return;
      }
    }
    const scopes = [req.query.scope].flat().filter((s): s is string => typeof s === 'string');
    const granted: Access[] = [];
    for (const a of parseScopes(scopes)) {
      if (a.type === 'registry' && a.name === 'catalog' && identity) {
        granted.push({ type: 'registry', name: 'catalog', actions: ['*'] });
        continue;
      }
      // Only image names (`<repository>/<image>`, the OCI grammar) are ever granted.
      if (a.type !== 'repository' || !isImageName(a.name)) continue;
      const { repository, image } = imageName(a.name);
      if (!image) continue;
      const held = registryActions(identity, repository);
      const actions = a.actions.flatMap((x) => (x === '*' ? [...held] : held.has(x) ? [x] : []));
      if (actions.length > 0) granted.push({ type: 'repository', name: a.name, actions: [...new Set(actions)] });
    }
    const t = await deps.tokens.issue(identity, granted);
    res.setHeader('cache-control', 'no-store');
    res.json({ token: t.token, access_token: t.token, expires_in: t.expiresIn, issued_at: t.issuedAt });
  };
  return [tokenLoginLimiter(deps.tokenRateLimit), handler];
}

/** Three times the console's sign-in limit of failed logins per address and minute. */
function tokenLoginLimiter(limit: number) {
  return failedLoginLimiter(limit * 3, (_req, res) => {
    res.status(429).json({ errors: [{ code: 'TOOMANYREQUESTS', message: 'too many failed logins; try again in a minute' }] });
  });
}
