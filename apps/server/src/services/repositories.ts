import type {
  CreateRepositoryRequest,
  CreateRepositoryUserRequest,
  Page,
  Repository,
  RepositoryUser,
  RepositoryUserWithSecret,
  UpdateRepositoryRequest,
  UpdateRepositoryUserRequest,
} from '@berth/api';
import type { RepositoryRecord, RepositoryUserRecord, Store } from '@berth/store';
import { ApiError } from '../errors.ts';
import { nowIso } from './clock.ts';
import { actorName, type Identity } from './identity.ts';
import { hashSecret, newSecret } from './secrets.ts';

function toRepository(r: RepositoryRecord): Repository {
  const { id: _id, ...rest } = r;
  return rest;
}

function toUser(u: RepositoryUserRecord, now = nowIso()): RepositoryUser {
  return {
    name: u.name,
    repository: u.repository,
    permission: u.permission,
    disabled: u.disabled,
    status: u.disabled ? 'disabled' : u.expiresAt && u.expiresAt <= now ? 'expired' : 'active',
    expiresAt: u.expiresAt,
    createdAt: u.createdAt,
    createdBy: u.createdBy,
    lastUsedAt: u.lastUsedAt,
  };
}

function futureOrNull(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const at = new Date(value);
  if (at.getTime() <= Date.now()) {
    throw new ApiError('VALIDATION_FAILED', 'expiresAt must be in the future', [{ path: 'expiresAt', message: 'must be in the future' }]);
  }
  return at.toISOString();
}

/** Repositories and their repository users. Every mutation is audited. */
export class RepositoryService {
  constructor(private readonly store: Store) {}

  async require(name: string): Promise<RepositoryRecord> {
    const repo = await this.store.repositories.get(name);
    if (!repo) throw new ApiError('REPOSITORY_NOT_FOUND', `repository ${name} does not exist`);
    return repo;
  }

  async list(q: { limit: number; cursor?: string | undefined; q?: string | undefined }): Promise<Page<Repository>> {
    const page = await this.store.repositories.list({ ...q, sort: 'name', order: 'asc' });
    return { items: page.items.map(toRepository), nextCursor: page.nextCursor };
  }

  async get(name: string): Promise<Repository> {
    return toRepository(await this.require(name));
  }

  async create(who: Identity, req: CreateRepositoryRequest): Promise<Repository> {
    const at = nowIso();
    const actor = actorName(who);
    const repo = await this.store.repositories.create({ name: req.name, description: req.description ?? '', at, actor });
    await this.store.audit.record({ at, actor, action: 'repository.create', target: req.name, after: toRepository(repo) });
    return toRepository(repo);
  }

  async update(who: Identity, name: string, req: UpdateRepositoryRequest): Promise<Repository> {
    const before = await this.require(name);
    const at = nowIso();
    const actor = actorName(who);
    const after = (await this.store.repositories.update(name, { description: req.description, at, actor }))!;
    await this.store.audit.record({ at, actor, action: 'repository.update', target: name, before: toRepository(before), after: toRepository(after) });
    return toRepository(after);
  }

  /** Deletes an empty repository; one that still holds images is refused. */
  async remove(who: Identity, name: string): Promise<void> {
    const repo = await this.require(name);
    if (repo.imageCount > 0) {
      throw new ApiError('REPOSITORY_NOT_EMPTY', `repository ${name} still holds ${repo.imageCount} image(s); delete them first`);
    }
    await this.store.repositories.delete(name);
    await this.store.audit.record({ at: nowIso(), actor: actorName(who), action: 'repository.delete', target: name, before: toRepository(repo) });
  }

  async listUsers(repository: string): Promise<RepositoryUser[]> {
    const repo = await this.require(repository);
    const now = nowIso();
    return (await this.store.repositoryUsers.list(repo.id)).map((u) => toUser(u, now));
  }

  private async requireUser(repository: string, name: string): Promise<RepositoryUserRecord> {
    const repo = await this.require(repository);
    const user = await this.store.repositoryUsers.get(repo.id, name);
    if (!user) throw new ApiError('REPOSITORY_USER_NOT_FOUND', `repository user ${name} does not exist in ${repository}`);
    return user;
  }

  async createUser(who: Identity, repository: string, req: CreateRepositoryUserRequest): Promise<RepositoryUserWithSecret> {
    const repo = await this.require(repository);
    const secret = newSecret();
    const at = nowIso();
    const actor = actorName(who);
    const user = await this.store.repositoryUsers.create({
      repositoryId: repo.id,
      name: req.name,
      permission: req.permission,
      secretHash: hashSecret(secret),
      expiresAt: futureOrNull(req.expiresAt) ?? null,
      at,
      actor,
    });
    const view = toUser(user);
    await this.store.audit.record({ at, actor, action: 'repository-user.create', target: `${repository}/${req.name}`, after: view });
    return { ...view, secret };
  }

  async updateUser(who: Identity, repository: string, name: string, req: UpdateRepositoryUserRequest): Promise<RepositoryUser> {
    const user = await this.requireUser(repository, name);
    const patch = {
      ...(req.disabled !== undefined ? { disabled: req.disabled } : {}),
      ...(req.permission !== undefined ? { permission: req.permission } : {}),
      ...(req.expiresAt !== undefined ? { expiresAt: futureOrNull(req.expiresAt) ?? null } : {}),
    };
    const updated = (await this.store.repositoryUsers.update(user.id, patch))!;
    await this.store.audit.record({
      at: nowIso(),
      actor: actorName(who),
      action: 'repository-user.update',
      target: `${repository}/${name}`,
      before: toUser(user),
      after: toUser(updated),
    });
    return toUser(updated);
  }

  /** Issues a new secret key; the old one stops working at once. */
  async rotateUser(who: Identity, repository: string, name: string): Promise<RepositoryUserWithSecret> {
    const user = await this.requireUser(repository, name);
    const secret = newSecret();
    const updated = (await this.store.repositoryUsers.update(user.id, { secretHash: hashSecret(secret) }))!;
    await this.store.audit.record({ at: nowIso(), actor: actorName(who), action: 'repository-user.rotate', target: `${repository}/${name}` });
    return { ...toUser(updated), secret };
  }

  async removeUser(who: Identity, repository: string, name: string): Promise<void> {
    const user = await this.requireUser(repository, name);
    await this.store.repositoryUsers.delete(user.id);
    await this.store.audit.record({
      at: nowIso(),
      actor: actorName(who),
      action: 'repository-user.delete',
      target: `${repository}/${name}`,
      before: toUser(user),
    });
  }
}
