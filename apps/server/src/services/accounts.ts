import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, type Store, type AccountRecord, type RepositoryUserRecord, type Role, type SessionRecord } from '@berth/store';
import type { Logger } from 'pino';
import { nowIso } from './clock.ts';
import { hashSecret, looksLikeSecret, randomToken, safeEqual } from './secrets.ts';
import { actorName, type Identity } from './identity.ts';

// A hash to verify against when the account does not exist, so timing does not tell.
const DUMMY_HASH = hash('berth-dummy-password-for-timing');

/** Console accounts, their sessions, and the credential check shared by /api and /v2. */
export class AccountService {
  private lastUsed = new Map<number, string>();
  private verified = new Map<string, { passwordHash: string; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly sessionHours: number,
  ) {}

  /** Creates the `admin` account on first start; a generated password is printed once. */
  async ensureAdmin(configured: string | undefined): Promise<void> {
    if ((await this.store.accounts.count()) > 0) return;
    const password = configured ?? randomBytes(18).toString('base64url');
    try {
      await this.store.accounts.create({ username: 'admin', passwordHash: await hash(password), role: 'admin', at: nowIso() });
    } catch (err) {
      // Another instance starting at the same moment created it first.
      if (err instanceof ConflictError) return;
      throw err;
    }
    if (!configured) {
      // Printed straight to the terminal, once, and never logged.
      process.stdout.write(
        `\nBerth created the account "admin" with the password:\n\n    ${password}\n\nIt is shown only this once; sign in and keep it safe.\n\n`,
      );
    } else {
      this.log.info('created the admin account from BERTH_ADMIN_PASSWORD');
    }
  }

  async createAccount(who: Identity, username: string, password: string, role: Role): Promise<AccountRecord> {
    const at = nowIso();
    const account = await this.store.accounts.create({ username, passwordHash: await hash(password), role, at });
    await this.store.audit.record({ at, actor: actorName(who), action: 'account.create', target: username, after: { username, role } });
    return account;
  }

  list(): Promise<AccountRecord[]> {
    return this.store.accounts.list();
  }

  /**
   * Checks a username and password of a console account. Scripts send Basic on every
   * request, so a successful argon2 check is remembered for a minute — keyed by a hash of
   * the credentials and bound to the stored password hash, so a changed password or a
   * disabled account takes effect on the next request.
   */
  async verifyAccount(username: string, password: string): Promise<AccountRecord | null> {
    const account = await this.store.accounts.get(username);
    const key = createHash('sha256').update(`${username}\0${password}`).digest('hex');
    const remembered = this.verified.get(key);
    if (account && remembered && remembered.passwordHash === account.passwordHash && remembered.until > Date.now()) {
      return account.disabled ? null : account;
    }
    const ok = await verify(account?.passwordHash ?? (await DUMMY_HASH), password).catch(() => false);
    if (!account || !ok) return null;
    if (this.verified.size > 1000) this.verified.clear();
    this.verified.set(key, { passwordHash: account.passwordHash, until: Date.now() + 60_000 });
    return account.disabled ? null : account;
  }

  /**
   * Resolves Basic credentials to an identity: a repository user (username = repository
   * name, password = its secret key) or a console account.
   */
  async authenticate(username: string, password: string): Promise<Identity | null> {
    if (looksLikeSecret(password)) {
      const user = await this.store.repositoryUsers.findBySecret(hashSecret(password));
      if (!user || !usable(user, username)) return null;
      this.lastUsed.set(user.id, nowIso());
      return userIdentity(user);
    }
    const account = await this.verifyAccount(username, password);
    return account ? accountIdentity(account) : null;
  }

  /**
   * The identity a token was issued to, as it stands now: null once the account or
   * repository user is disabled, expired, deleted or replaced (a new one of the same name),
   * or its secret key rotated, with its role or permission as they are now. The same rules as {@link authenticate}.
   */
  async current(identity: Identity): Promise<Identity | null> {
    if (identity.kind === 'account') {
      const account = await this.store.accounts.get(identity.username);
      if (!account || account.disabled || account.id !== identity.accountId) return null;
      return accountIdentity(account);
    }
    const user = await this.store.repositoryUsers.getById(identity.userId);
    if (!user || !usable(user, identity.repository)) return null;
    // A rotated key ends the tokens issued to the old one.
    const now = userIdentity(user);
    return typeof identity.key === 'string' && safeEqual(now.key, identity.key) ? now : null;
  }

  /** Writes the gathered "last used" times of repository users in one transaction. */
  async flushLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0) return;
    const batch = this.lastUsed;
    this.lastUsed = new Map();
    await this.store.repositoryUsers.touch(batch);
  }

  async startSession(account: AccountRecord): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
    const sessionId = randomToken();
    const csrfToken = randomToken();
    const expiresAt = new Date(Date.now() + this.sessionHours * 3600_000);
    await this.store.accounts.createSession({
      idHash: hashSecret(sessionId),
      accountId: account.id,
      csrfToken,
      at: nowIso(),
      expiresAt: expiresAt.toISOString(),
    });
    return { sessionId, csrfToken, expiresAt };
  }

  async session(sessionId: string): Promise<SessionRecord | null> {
    const s = await this.store.accounts.getSession(hashSecret(sessionId), nowIso());
    return s && !s.disabled ? s : null;
  }

  async endSession(sessionId: string): Promise<void> {
    await this.store.accounts.deleteSession(hashSecret(sessionId));
  }
}

/** A repository user may sign in to `repository` while it is enabled and not expired. */
function usable(user: RepositoryUserRecord, repository: string): boolean {
  if (user.repository !== repository || user.disabled) return false;
  return !user.expiresAt || user.expiresAt > nowIso();
}

const accountIdentity = (a: AccountRecord): Identity => ({ kind: 'account', accountId: a.id, username: a.username, role: a.role });
/**
 * A short name for a secret key, from its stored hash: registry tokens carry it, so a
 * rotation (a new hash) ends them, without the token revealing the hash it was made from.
 */
function keyFingerprint(secretHash: string): string {
  return createHash('sha256').update(`berth key fingerprint\0${secretHash}`).digest('base64url').slice(0, 22);
}

const userIdentity = (u: RepositoryUserRecord): Extract<Identity, { kind: 'repository-user' }> => ({
  kind: 'repository-user',
  userId: u.id,
  name: u.name,
  repository: u.repository,
  permission: u.permission,
  key: keyFingerprint(u.secretHash),
});
