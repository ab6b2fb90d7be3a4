import { z } from 'zod';

/** Env variable names whose values the console must not see: they look like secrets. */
export const SECRET_ENV_NAME = /pass|secret|token|key|credential/i;

/** A blob a manifest points at, as the config summary lists it. */
export const layerDescriptor = z.object({
  digest: z.string(),
  mediaType: z.string(),
  /** Bytes as stored (compressed). */
  size: z.number().int(),
});
export type LayerDescriptor = z.infer<typeof layerDescriptor>;

export const envVariable = z.object({
  name: z.string(),
  /** null when the name looks secret (`masked`): the value never leaves the server. */
  value: z.string().nullable(),
  masked: z.boolean(),
});
export type EnvVariable = z.infer<typeof envVariable>;

export const historyEntry = z.object({
  created: z.string().nullable(),
  createdBy: z.string().nullable(),
  comment: z.string().nullable(),
  /** True for steps that made no filesystem layer (ENV, CMD, LABEL…). */
  emptyLayer: z.boolean(),
  /** The layer this step made, matched in order; null for empty steps. */
  layer: layerDescriptor.nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

/**
 * GET /repositories/{repository}/images/{image}/manifests/{reference}/config: what an
 * image manifest's config says, read from the registry (not a pull).
 */
export const imageConfigSummary = z.object({
  /** The manifest the config belongs to. */
  manifestDigest: z.string(),
  config: layerDescriptor,
  created: z.string().nullable(),
  author: z.string().nullable(),
  os: z.string().nullable(),
  architecture: z.string().nullable(),
  variant: z.string().nullable(),
  entrypoint: z.array(z.string()).nullable(),
  cmd: z.array(z.string()).nullable(),
  workingDir: z.string().nullable(),
  user: z.string().nullable(),
  exposedPorts: z.array(z.string()),
  env: z.array(envVariable),
  labels: z.record(z.string(), z.string()),
  history: z.array(historyEntry),
  layers: z.array(layerDescriptor),
});
export type ImageConfigSummary = z.infer<typeof imageConfigSummary>;

/** The manifest media types a registry serves and `GET …/manifests/{reference}` passes on. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

/**
 * A manifest as the registry serves it, byte for byte: an image manifest, an index or
 * manifest list, or an OCI artifact. Only the fields every one of them has are named.
 */
export const manifestDocument = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
});
export type ManifestDocument = z.infer<typeof manifestDocument>;
