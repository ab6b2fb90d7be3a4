import { z } from 'zod';

export const registry = z.object({
  name: z.string(),
  kind: z.enum(['managed', 'external']),
  url: z.string(),
  /** The host people type in docker/podman commands (from BERTH_PUBLIC_URL). */
  publicHost: z.string(),
  /** `embedded`: Berth's own registry (garbage collection available); `upstream`: one at BERTH_UPSTREAM_URL. */
  engine: z.enum(['embedded', 'upstream']),
});
export type Registry = z.infer<typeof registry>;

export const syncResult = z.object({
  repositories: z.number().int(),
  images: z.number().int(),
  artifacts: z.number().int(),
  tags: z.number().int(),
  removedTags: z.number().int(),
  /** Untagged artifacts the registry no longer has (a manifest deleted around Berth), dropped from the index. */
  removedArtifacts: z.number().int(),
});
export type SyncResult = z.infer<typeof syncResult>;

/** `POST /registries/{name}/gc`: a garbage collection of the embedded registry. */
export const gcRequest = z
  .object({
    /** Report what would be freed without deleting (the default: deleting is asked for explicitly). */
    dryRun: z.boolean().default(true),
    /** `delete` also sweeps untagged manifests nothing refers to; `keep` leaves them to deletion policies. */
    untagged: z.enum(['keep', 'delete']).default('keep'),
  })
  .strict();
export type GcRequest = z.infer<typeof gcRequest>;

export const gcReport = z.object({
  dryRun: z.boolean(),
  manifests: z.number().int(),
  blobs: z.number().int(),
  bytes: z.number().int(),
  uploads: z.number().int(),
  uploadBytes: z.number().int(),
  links: z.number().int(),
});
export type GcReport = z.infer<typeof gcReport>;

/** The last reconciliation of a registry: when it ended, who ran it (`schedule`, or an admin), and what it did. */
export const lastSync = z.object({ at: z.string(), by: z.string(), result: syncResult });
export type LastSync = z.infer<typeof lastSync>;

/** The last garbage collection that deleted (dry runs are not kept). */
export const lastGc = z.object({ at: z.string(), by: z.string(), report: gcReport });
export type LastGc = z.infer<typeof lastGc>;

/** `GET /registries/{name}`: the registry, with its last sync and garbage collection (null: none yet). */
export const registryDetail = registry.extend({ lastSync: lastSync.nullable(), lastGc: lastGc.nullable() });
export type RegistryDetail = z.infer<typeof registryDetail>;
