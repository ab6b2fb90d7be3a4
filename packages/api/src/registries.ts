import { z } from 'zod';
import { pageQuery, platform } from './images.ts';

/**
 * A registry Berth knows. `managed`: Berth is its front door (the embedded registry, or
 * the one at BERTH_UPSTREAM_URL); always listed first, named `default`. `external`: one an
 * admin registered (Docker Hub, another registry), browsed read-only through Berth.
 */
export const registryKind = z.enum(['managed', 'external']);
export type RegistryKind = z.infer<typeof registryKind>;

/** What the registry is: Berth's managed one, Docker Hub, or any other OCI / Docker registry. */
export const registryType = z.enum(['managed', 'dockerhub', 'registry']);
export type RegistryType = z.infer<typeof registryType>;

/** `pull-only`: Berth never pushes to it or deletes from it. */
export const registryMode = z.enum(['read-write', 'pull-only']);
export type RegistryMode = z.infer<typeof registryMode>;

/**
 * What Berth can do with a registry: browse its content, show pull commands, show push
 * commands, delete content, collect garbage (embedded only), reconcile its index (managed only).
 */
export const registryCapability = z.enum(['browse', 'pull', 'push', 'delete', 'gc', 'sync']);
export type RegistryCapability = z.infer<typeof registryCapability>;

/**
 * Why a connection test failed, in the order it is met:
 * `invalid_url` (not a URL Berth may use), `blocked_address` (the host resolves to a
 * link-local, metadata or otherwise refused address), `dns` (the name does not resolve),
 * `refused` (nothing listens on the port), `timeout`, `tls` (the TLS handshake or the
 * certificate failed), `tls_required` (plain HTTP sent to a TLS port), `redirect` (the registry
 * sent Berth to another host), `not_registry` (it answers, but not as an OCI registry),
 * `unauthorized` (the credentials were refused), `token_failed` (the token service failed),
 * `repository_not_found` (the chosen repository is not there or not visible to the account),
 * `upstream_error` (the registry answered with an unexpected error).
 */
export const connectionFailure = z.enum([
  'invalid_url',
  'blocked_address',
  'dns',
  'refused',
  'timeout',
  'tls',
  'tls_required',
  'redirect',
  'not_registry',
  'unauthorized',
  'token_failed',
  'repository_not_found',
  'upstream_error',
]);
export type ConnectionFailure = z.infer<typeof connectionFailure>;

/** What a connection test found. `message` says it in words a person understands; it never holds a credential. */
export const connectionTest = z.object({
  ok: z.boolean(),
  reason: connectionFailure.optional(),
  message: z.string(),
  at: z.string(),
  durationMs: z.number().int(),
  /** The registry answered `/v2/` as an OCI registry. */
  reachable: z.boolean(),
  /** How `/v2/` asked to be authenticated: nothing, Basic, or a Bearer token service (its realm's host). */
  auth: z.object({ scheme: z.enum(['none', 'basic', 'bearer']), realm: z.string().nullable() }).nullable(),
  /** The credentials (or anonymous access, without any) were accepted. */
  authAccepted: z.boolean(),
  /** `allowed`: the catalog lists these repositories (the first 100, `more` if there are others); `denied`: the registry or account may not list it. */
  catalog: z
    .object({
      allowed: z.boolean(),
      repositories: z.array(z.string()),
      more: z.boolean(),
      /** Repositories (first path components) counted from the catalog; null when it could not be listed. */
      count: z.number().int().nullable(),
    })
    .nullable(),
  /** The repository the registry is bound to and whether the test found it (null: it could not tell). */
  repository: z.object({ name: z.string(), found: z.boolean().nullable() }).nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTest>;

export const registry = z.object({
  name: z.string(),
  kind: registryKind,
  type: registryType,
  /** The registry's URL as Berth reaches it. For the managed one, the upstream (embedded or BERTH_UPSTREAM_URL). */
  url: z.string(),
  /** The host people type in docker/podman commands: Berth's public host for the managed one, the registry's own otherwise. */
  publicHost: z.string(),
  /** `embedded`: Berth's own registry (garbage collection available); `upstream`: one at BERTH_UPSTREAM_URL; null for an external one. */
  engine: z.enum(['embedded', 'upstream']).nullable(),
  mode: registryMode,
  capabilities: z.array(registryCapability),
  /** The repository of an external registry Berth shows; null: every repository the account sees. */
  repository: z.string().nullable(),
  /** The account's username (the password or token is never returned); null: anonymous. */
  username: z.string().nullable(),
  /** Plain HTTP was allowed for this registry (a loopback or lab host). */
  insecure: z.boolean(),
  lastTest: connectionTest.nullable(),
  /** Repositories: counted in Berth's index for the managed one, from the last connection test for an external one (null: unknown). */
  repositoryCount: z.number().int().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Registry = z.infer<typeof registry>;

/** An external registry's name in Berth's URLs: 2-63 lowercase letters, digits and `-`; `default` is the managed one. */
export const registryName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lowercase letters, digits or "-", starting with a letter or digit')
  .refine((v) => v !== 'default', { message: '"default" is the managed registry' });

/** Where an external registry is and how Berth signs in to it: what a connection test needs. */
export const registryConnectionRequest = z.strictObject({
  type: z.enum(['dockerhub', 'registry']),
  /** `https://host[:port][/]`; `http://` only with `insecure` and a loopback or allowed lab host. Docker Hub: may be left out. */
  url: z.string().max(2048).optional(),
  insecure: z.boolean().default(false),
  mode: registryMode.default('read-write'),
  /**
   * `existing`: use a repository that is already there (Docker Hub and other registries support only this).
   * `repository` names it; without one, every repository the account sees is shown.
   */
  repositoryMode: z.enum(['existing', 'new']).default('existing'),
  repository: z.string().max(255).nullable().optional(),
  username: z.string().max(255).nullable().optional(),
  /** A password or an access token. Write-only: never returned. */
  password: z.string().max(4096).nullable().optional(),
});
export type RegistryConnectionRequest = z.infer<typeof registryConnectionRequest>;

/** `POST /registries`: the connection test runs first; a failing test saves nothing (422 CONNECTION_FAILED). */
export const createRegistryRequest = registryConnectionRequest.extend({ name: registryName });
export type CreateRegistryRequest = z.infer<typeof createRegistryRequest>;

/**
 * `PATCH /registries/{registry}`: change the account (username and password or token), the
 * mode or the repository of an external registry. The connection is tested with the
 * change before it is saved; a failing test saves nothing.
 */
export const updateRegistryRequest = z
  .strictObject({
    username: z.string().max(255).nullable().optional(),
    password: z.string().max(4096).nullable().optional(),
    mode: registryMode.optional(),
    repository: z.string().max(255).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateRegistryRequest = z.infer<typeof updateRegistryRequest>;

/** `POST /registries/{registry}/test`: test the saved settings, or the saved URL with another account (not saved). */
export const retestRegistryRequest = z.strictObject({
  username: z.string().max(255).nullable().optional(),
  password: z.string().max(4096).nullable().optional(),
  repository: z.string().max(255).nullable().optional(),
});
export type RetestRegistryRequest = z.infer<typeof retestRegistryRequest>;

export const listRegistriesQuery = pageQuery.extend({
  /** Case-insensitive substring of the name or URL. */
  q: z.string().max(255).optional(),
});
export type ListRegistriesQuery = z.infer<typeof listRegistriesQuery>;

/** `DELETE /registries/{registry}?deleteUpstream=true`: what was deleted in the registry first, and what could not be. */
export const deleteRegistryResult = z.object({
  deleted: z.boolean(),
  upstream: z
    .object({
      /** Manifests deleted, by image and digest, with the tags they carried. */
      deleted: z.array(z.object({ image: z.string(), digest: z.string(), tags: z.array(z.string()) })),
      failed: z.array(z.object({ image: z.string(), reference: z.string(), reason: z.string() })),
    })
    .nullable(),
});
export type DeleteRegistryResult = z.infer<typeof deleteRegistryResult>;

/** `DELETE /registries/{registry}`: `deleteUpstream=true` deletes the registry's repository content upstream first. */
export const deleteRegistryQuery = z.object({ deleteUpstream: z.enum(['true', 'false']).default('false') });
export type DeleteRegistryQuery = z.infer<typeof deleteRegistryQuery>;

/**
 * Browsing an external registry. A repository is an upstream name's first path component;
 * top-level names (`busybox`) are listed under the repository `_`.
 */
export const TOP_LEVEL_REPOSITORY = '_';

export const externalRepository = z.object({
  name: z.string(),
  /** Images counted from the catalog. */
  imageCount: z.number().int(),
});
export type ExternalRepository = z.infer<typeof externalRepository>;

export const externalImage = z.object({
  repository: z.string(),
  name: z.string(),
  /** The name as the registry and docker spell it (`repository/name`, or `name` under `_`). */
  fullName: z.string(),
});
export type ExternalImage = z.infer<typeof externalImage>;

/** A tag of an external image, with what its manifest says (read for the tags on the page only). */
export const externalTag = z.object({
  name: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  artifactType: z.string().nullable(),
  /** Bytes: manifest + config + layers; for an index, the manifest plus its children's manifests. */
  size: z.number().int(),
  platforms: z.array(platform),
  /** An index's manifests; 0 for an image manifest. */
  childCount: z.number().int(),
});
export type ExternalTag = z.infer<typeof externalTag>;

export const browseQuery = pageQuery.extend({ q: z.string().max(255).optional() });
export const browseTagsQuery = pageQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(25) });

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

/** `GET /registries/{name}`: the registry, with its last sync and garbage collection (null: none yet, or not that kind). */
export const registryDetail = registry.extend({ lastSync: lastSync.nullable(), lastGc: lastGc.nullable() });
export type RegistryDetail = z.infer<typeof registryDetail>;
