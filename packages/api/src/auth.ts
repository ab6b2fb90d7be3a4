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
});
export type Me = z.infer<typeof me>;
