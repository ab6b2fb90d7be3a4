import { z } from 'zod';

export const role = z.enum(['admin', 'viewer']);
export type Role = z.infer<typeof role>;

export const loginRequest = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof loginRequest>;

/** The signed-in account, as returned by POST /auth/login and GET /auth/me. */
export const me = z.object({
  username: z.string(),
  role,
  /** Echo this value in the `X-CSRF-Token` header on every cookie-authenticated mutation. */
  csrfToken: z.string().optional(),
  /** The host people type in docker/podman commands (from BERTH_PUBLIC_URL), so pages need not ask /registries. */
  publicHost: z.string().optional(),
});
export type Me = z.infer<typeof me>;

export const account = z.object({
  username: z.string(),
  role,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof account>;

/** `GET /accounts`: every console account. */
export const accountList = z.object({ items: z.array(account) });
export type AccountList = z.infer<typeof accountList>;

/** The shortest password an account may have, from the API or BERTH_ADMIN_PASSWORD. */
export const MIN_PASSWORD_LENGTH = 10;

export const createAccountRequest = z.strictObject({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 lowercase letters, digits, ".", "_" or "-"'),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  role,
});
export type CreateAccountRequest = z.infer<typeof createAccountRequest>;
