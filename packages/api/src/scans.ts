import { z } from 'zod';
import { pageQuery, sortOrder } from './images.ts';
import { scanOverview, severity, type Severity } from './scan-overview.ts';

/** Where an image's setting comes from: its own, its repository's default, or neither (the built-in default). */
export const settingSource = z.enum(['image', 'repository', 'none']);
export type SettingSource = z.infer<typeof settingSource>;

/**
 * What a scan leaves out of an image's results and counts. The scanner always records
 * everything; exclusions apply when results are shown and counted, so changing them
 * needs no new scan.
 */
export const scanExclusions = z.strictObject({
  /** npm, PyPI, Go and Maven packages (only OS packages are matched). */
  languagePackages: z.boolean().default(false),
  /** Secrets found in files. */
  secrets: z.boolean().default(false),
  /** Vulnerabilities no version fixes yet. */
  withoutFix: z.boolean().default(false),
  /** Vulnerabilities at or below this level; null: none left out by level. */
  atOrBelow: severity.nullable().default(null),
});
export type ScanExclusions = z.infer<typeof scanExclusions>;

/** An image's scan settings (or its repository's default). */
export const scanSettings = z.strictObject({
  /** Scan each artifact pushed after this was turned on. */
  scanOnPush: z.boolean(),
  exclude: scanExclusions,
});
export type ScanSettings = z.infer<typeof scanSettings>;

export const imageScanSettings = z.object({
  settings: scanSettings,
  source: settingSource,
  repositoryDefault: scanSettings.nullable(),
});
export type ImageScanSettings = z.infer<typeof imageScanSettings>;

/** PUT an image's scan settings; `{inherit: true}` drops its own so the repository default applies. */
export const putImageScanSettings = z.union([scanSettings, z.strictObject({ inherit: z.literal(true) })]);
export type PutImageScanSettings = z.infer<typeof putImageScanSettings>;

export const repositoryScanSettings = z.object({ settings: scanSettings, configured: z.boolean() });
export type RepositoryScanSettings = z.infer<typeof repositoryScanSettings>;

const limit = z.number().int().min(1, 'between 1 and 9,999,999').max(9_999_999, 'between 1 and 9,999,999');

/**
 * Which pulls of an image `/v2` refuses (manifest GET and HEAD). Decided from stored
 * scan results; a refused pull answers OCI `DENIED` naming the rule and the counts.
 */
export const pullRestriction = z.strictObject({
  enabled: z.boolean(),
  /** Refuse artifacts without a finished scan, including those the scanner cannot read. */
  refuseUnscanned: z.boolean(),
  /** Refuse when Critical vulnerabilities reach this count; null: no Critical limit. */
  criticalLimit: limit.nullable(),
  /** Refuse when High vulnerabilities reach this count; null: no High limit. */
  highLimit: limit.nullable(),
  /** Count only vulnerabilities a version fixes. */
  ignoreWithoutFix: z.boolean(),
});
export type PullRestriction = z.infer<typeof pullRestriction>;

export const imagePullRestriction = z.object({
  restriction: pullRestriction,
  source: settingSource,
  repositoryDefault: pullRestriction.nullable(),
});
export type ImagePullRestriction = z.infer<typeof imagePullRestriction>;

export const putImagePullRestriction = z.union([pullRestriction, z.strictObject({ inherit: z.literal(true) })]);
export type PutImagePullRestriction = z.infer<typeof putImagePullRestriction>;

export const repositoryPullRestriction = z.object({ restriction: pullRestriction, configured: z.boolean() });
export type RepositoryPullRestriction = z.infer<typeof repositoryPullRestriction>;

export const scanPlatform = z.object({
  digest: z.string(),
  /** `os/architecture[/variant]`, or null when the image config does not say. */
  platform: z.string().nullable(),
  os: z.string().nullable(),
  packages: z.number().int(),
});

/** An artifact's scan: where it stands, and its counts as the image's exclusions see them. */
export const artifactScan = scanOverview.extend({
  digest: z.string(),
  requestedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  /** 0–100 while scanning. */
  progress: z.number().int(),
  error: z.string().nullable(),
  /** Critical and High counts of vulnerabilities a version fixes. */
  fixable: z.object({ critical: z.number().int(), high: z.number().int() }),
  secrets: z.number().int(),
  packages: z.number().int(),
  platforms: z.array(scanPlatform),
  /** The advisory database the results were matched against. */
  database: z.object({ version: z.string(), updatedAt: z.string().nullable() }).nullable(),
});
export type ArtifactScan = z.infer<typeof artifactScan>;

export const vulnerability = z.object({
  id: z.string(),
  aliases: z.array(z.string()),
  url: z.string(),
  severity,
  score: z.number().nullable(),
  vector: z.string().nullable(),
  title: z.string(),
  package: z.string(),
  packageType: z.string(),
  installedVersion: z.string(),
  fixedVersion: z.string().nullable(),
  path: z.string(),
  layer: z.string(),
  platform: z.string().nullable(),
});
export type Vulnerability = z.infer<typeof vulnerability>;

export const listVulnerabilitiesQuery = pageQuery.extend({
  sort: z.enum(['severity', 'id', 'package', 'fixedVersion']).default('severity'),
  order: sortOrder.default('desc'),
  /** Substring of the advisory id, an alias, the package or the title. */
  q: z.string().max(200).optional(),
  /** Only these levels (comma-separated). */
  severity: z
    .string()
    .max(100)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      const levels = s.split(',');
      for (const l of levels) {
        if (!severity.safeParse(l).success) {
          ctx.addIssue({ code: 'custom', message: `unknown severity ${l}` });
          return z.NEVER;
        }
      }
      return levels as Severity[];
    }),
  /** Only vulnerabilities a version fixes. */
  fixable: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});
export type ListVulnerabilitiesQuery = z.infer<typeof listVulnerabilitiesQuery>;

export const vulnerabilityPage = z.object({
  items: z.array(vulnerability),
  nextCursor: z.string().nullable(),
  /** How many match the filter (all pages). */
  total: z.number().int(),
});
export type VulnerabilityPage = z.infer<typeof vulnerabilityPage>;

/** A secret found in a file: where, and which rule; never the value (only a masked form). */
export const secretFinding = z.object({
  rule: z.string(),
  title: z.string(),
  severity,
  path: z.string(),
  line: z.number().int(),
  layer: z.string(),
  masked: z.string(),
  platform: z.string().nullable(),
});
export type SecretFinding = z.infer<typeof secretFinding>;

export const secretList = z.object({ items: z.array(secretFinding), excluded: z.boolean() });
export type SecretList = z.infer<typeof secretList>;

/** The advisory database Berth matches against. */
export const vulnerabilityDatabase = z.object({
  loaded: z.boolean(),
  version: z.string().nullable(),
  records: z.number().int(),
  ecosystems: z.array(z.object({ name: z.string(), records: z.number().int() })),
  updatedAt: z.string().nullable(),
  /** Whole days since `updatedAt`. */
  ageDays: z.number().int().nullable(),
  /** Older than `staleAfterDays` (or never loaded): results may miss recent advisories. */
  stale: z.boolean(),
  staleAfterDays: z.number().int(),
});
export type VulnerabilityDatabase = z.infer<typeof vulnerabilityDatabase>;

/** Scans asked for: how many were queued (an artifact already waiting is not queued twice). */
export const scanRequested = z.object({ queued: z.number().int(), artifacts: z.number().int() });
export type ScanRequested = z.infer<typeof scanRequested>;

/** One vulnerability as a scan report keeps it (before exclusions). */
export const reportVulnerability = vulnerability.omit({ platform: true });
export type ReportVulnerability = z.infer<typeof reportVulnerability>;

/** One secret as a scan report keeps it: never the value, only a masked form. */
export const reportSecret = secretFinding.omit({ platform: true });
export type ReportSecret = z.infer<typeof reportSecret>;

/** The inventory of one platform image, as a scan report keeps it. */
export const reportInventory = z.object({
  os: z.object({ id: z.string(), versionId: z.string().nullable(), prettyName: z.string().nullable(), ecosystem: z.string().nullable() }).nullable(),
  packages: z.array(
    z.object({
      type: z.string(),
      name: z.string(),
      version: z.string(),
      /** The source package an OS package was built from, when it differs. */
      source: z.object({ name: z.string(), version: z.string() }).optional(),
      path: z.string(),
      layer: z.string(),
      purl: z.string(),
      licenses: z.array(z.string()),
    }),
  ),
  secrets: z.array(reportSecret),
  notes: z.array(z.object({ path: z.string(), layer: z.string(), message: z.string() })),
});
export type ReportInventory = z.infer<typeof reportInventory>;

/**
 * `GET …/artifacts/{digest}/scan-report`: everything a scan found in one artifact, before
 * exclusions, as it is stored and exported.
 */
export const scanReport = z.object({
  /** The format of this report. */
  version: z.literal(1),
  digest: z.string(),
  mediaType: z.string(),
  scannedAt: z.string(),
  database: z.object({ version: z.string(), updatedAt: z.string().nullable() }),
  platforms: z.array(
    z.object({ digest: z.string(), platform: z.string().nullable(), inventory: reportInventory, vulnerabilities: z.array(reportVulnerability) }),
  ),
});
export type ScanReport = z.infer<typeof scanReport>;

/** `GET …/artifacts/{digest}/sbom`: a CycloneDX JSON document; only the fields that say what it is are named. */
export const cycloneDxDocument = z.looseObject({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string(),
});
export type CycloneDxDocument = z.infer<typeof cycloneDxDocument>;
