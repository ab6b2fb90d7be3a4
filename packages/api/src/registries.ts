import { z } from 'zod';

export const registry = z.object({
  name: z.string(),
  kind: z.enum(['managed', 'external']),
  url: z.string(),
  /** The host people type in docker/podman commands (from BERTH_PUBLIC_URL). */
  publicHost: z.string(),
});
export type Registry = z.infer<typeof registry>;

export const syncResult = z.object({
  repositories: z.number().int(),
  images: z.number().int(),
  artifacts: z.number().int(),
  tags: z.number().int(),
  removedTags: z.number().int(),
});
export type SyncResult = z.infer<typeof syncResult>;
