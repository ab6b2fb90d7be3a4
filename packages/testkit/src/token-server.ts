import { execFileSync } from 'node:child_process';
import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir, type TempDir } from './ports.ts';

/** Path of openssl; `BERTH_OPENSSL_BIN` overrides it. */
export const OPENSSL_BIN = process.env.BERTH_OPENSSL_BIN ?? '/usr/bin/openssl';

/** A self-signed P-256 certificate and its key, as PEM files. */
export interface CertFiles {
  certPath: string;
  keyPath: string;
}

/**
 * Makes a self-signed P-256 certificate for `cn` (valid for 127.0.0.1 and localhost) with
 * openssl, into `dir` as `<name>.pem` and `<name>-key.pem`: a TLS certificate for a test
 * registry, or a token signing key. Two days, so a stale one never lingers as trusted.
 */
export function selfSignedCert(dir: string, cn = '127.0.0.1', name = 'cert'): CertFiles {
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}-key.pem`);
  execFileSync(
    OPENSSL_BIN,
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${cn}`,
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    // stderr is kept: execFileSync's error then says why openssl failed.
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { certPath, keyPath };
}

/** What a user asked for in one `scope` parameter, and what the server grants. */
export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenServerOptions {
  /** Username → password. A request without credentials is anonymous. */
  users: Record<string, string>;
  /** The `service` the registry names in its challenge (the token's audience). */
  service: string;
  issuer: string;
  /** Where the signing certificate and key are written (kept on stop); default: a temp dir that `stop()` removes. */
  dir?: string;
  /** What a user (null: anonymous) is granted of what it asked; default: a known user everything, anonymous nothing. */
  grant?: (user: string | null, asked: Access) => string[];
}

export interface TokenServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** `http://127.0.0.1:PORT/token`: the realm the registry names. */
  realm: string;
  service: string;
  issuer: string;
  /** The signing certificate: the registry's `auth.token.rootcertbundle`. */
  rootCertPath: string;
  /** Requests answered so far (refused ones included): shows whether a client asked for a token at all. */
  requests(): number;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function parseScope(scope: string): Access | null {
  // type:name:actions — the name may itself hold ':' (a port), so split from both ends.
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return null;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

/**
 * The token signing key and its certificate: the PEM file is the registry's root bundle, the
 * same certificate as base64 DER goes into each token's `x5c` header.
 */
function signer(dir: string): { certPath: string; key: Buffer; x5c: string } {
  const { certPath, keyPath } = selfSignedCert(dir, 'berth-test-token-signer', 'token-signer');
  return { certPath, key: readFileSync(keyPath), x5c: new X509Certificate(readFileSync(certPath)).raw.toString('base64') };
}

/**
 * A Docker token service for a test registry (distribution's `auth: token`): it checks
 * Basic credentials, grants what `grant` allows of the scopes asked, and answers an ES256
 * JWT whose `x5c` header carries the self-signed signing certificate, which is also the
 * registry's root bundle, as distribution 2.8 verifies it. What 2.8 insists on (tried):
 * the key must come from `x5c` (or `jwk`/a known `kid`), the ES256 signature must be raw
 * r‖s (JWS), not DER, and `aud` must be a string, not an array; `exp`/`nbf` get 60 s of leeway.
 */
export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const owned: TempDir | null = opts.dir ? null : await tempDir('token-server');
  let certPath: string, key: Buffer, x5c: string;
  try {
    ({ certPath, key, x5c } = signer(opts.dir ?? owned!.path));
  } catch (err) {
    await owned?.cleanup();
    throw err;
  }
  const grant = opts.grant ?? ((user: string | null, asked: Access) => (user ? asked.actions : []));
  let count = 0;

  const server = http.createServer((req, res) => {
    count++;
    const reqUrl = new URL(req.url ?? '/', 'http://token');
    if (reqUrl.pathname !== '/token') return void res.writeHead(404).end();
    let user: string | null = null;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const raw = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const colon = raw.indexOf(':');
      const name = raw.slice(0, colon);
      if (colon < 0 || opts.users[name] === undefined || opts.users[name] !== raw.slice(colon + 1)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"incorrect username or password"}');
        return;
      }
      user = name;
    }
    const access = reqUrl.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .map(parseScope)
      .filter((a): a is Access => a !== null)
      .map((a) => ({ ...a, actions: grant(user, a) }));
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [x5c] }));
    const claims = b64url(JSON.stringify({ iss: opts.issuer, sub: user ?? '', aud: opts.service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${header}.${claims}.${b64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    url,
    realm: `${url}/token`,
    service: opts.service,
    issuer: opts.issuer,
    rootCertPath: certPath,
    requests: () => count,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of fetch or skopeo would otherwise hold close() open.
        server.closeAllConnections();
      });
      await owned?.cleanup();
    },
  };
}
