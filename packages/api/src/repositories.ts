import { z } from 'zod';
import { repositoryName, repositoryUserName } from './names.ts';
import { pageQuery } from './images.ts';

export const repository = z.object({
  name: z.string(),
  description: z.string(),
  imageCount: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Repository = z.infer<typeof repository>;

/** `GET /repositories`: paged by name; `q` is a case-insensitive substring of the name. */
export const listRepositoriesQuery = pageQuery.extend({ q: z.string().max(64).optional() });
export type ListRepositoriesQuery = z.infer<typeof listRepositoriesQuery>;

export const createRepositoryRequest = z.strictObject({
  name: repositoryName,
  description: z.string().max(1024).optional(),
});
export type CreateRepositoryRequest = z.infer<typeof createRepositoryRequest>;

export const updateRepositoryRequest = z.strictObject({
  description: z.string().max(1024),
});
export type UpdateRepositoryRequest = z.infer<typeof updateRepositoryRequest>;

/** What a repository user may do: `pull`; `push` (and pull); `delete` (and push and pull, e.g. a CI robot that cleans up). */
export const permission = z.enum(['pull', 'push', 'delete']);
export type Permission = z.infer<typeof permission>;

export const repositoryUser = z.object({
  name: z.string(),
  repository: z.string(),
  permission,
  disabled: z.boolean(),
  /** `active`, `disabled` or `expired`, derived from the fields above and the clock. */
  status: z.enum(['active', 'disabled', 'expired']),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type RepositoryUser = z.infer<typeof repositoryUser>;

/** `GET /repositories/{repository}/users`: every user of the repository. */
export const repositoryUserList = z.object({ items: z.array(repositoryUser) });
export type RepositoryUserList = z.infer<typeof repositoryUserList>;

/** Returned once, on create and on rotate: the only time the secret key leaves the server. */
export const repositoryUserWithSecret = repositoryUser.extend({ secret: z.string() });
export type RepositoryUserWithSecret = z.infer<typeof repositoryUserWithSecret>;

const futureDate = z.iso.datetime({ offset: true });

export const createRepositoryUserRequest = z.strictObject({
  name: repositoryUserName,
  permission,
  expiresAt: futureDate.nullable().optional(),
});
export type CreateRepositoryUserRequest = z.infer<typeof createRepositoryUserRequest>;

export const updateRepositoryUserRequest = z
  .strictObject({
    disabled: z.boolean().optional(),
    expiresAt: futureDate.nullable().optional(),
    permission: permission.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateRepositoryUserRequest = z.infer<typeof updateRepositoryUserRequest>;
