// What the scanner reads out of an image and what it matches against advisories. These
// types are the seams between its parts: the layer walk feeds files to analyzers, the
// analyzers build an inventory, the advisory database turns an inventory into findings.

/** Severity levels, lowest first: the order exclusions ("at or below") and counts use. */
export const SEVERITIES = ['none', 'unknown', 'negligible', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What kind of package database or manifest a package was read from. */
export type PackageType = 'dpkg' | 'apk' | 'rpm' | 'npm' | 'pypi' | 'go' | 'maven';

/** OS packages come from the distribution; the others are language packages (an exclusion can drop those). */
export const OS_PACKAGE_TYPES: ReadonlySet<PackageType> = new Set(['dpkg', 'apk', 'rpm']);

/** The distribution an image is built on, from `etc/os-release` (or `usr/lib/os-release`). */
export interface OsInfo {
  /** `ID`: `debian`, `ubuntu`, `alpine`, `rhel`, `almalinux`, `rocky`, … */
  id: string;
  /** `VERSION_ID`, or null when the file has none (Debian testing, `sid`). */
  versionId: string | null;
  /** `PRETTY_NAME`, for people. */
  prettyName: string | null;
  /**
   * The OSV ecosystem its OS packages are matched in (`Debian:12`, `Alpine:v3.19`,
   * `Ubuntu:22.04:LTS`, `AlmaLinux:9`, `Rocky Linux:9`), or null when Berth has no
   * advisories for this distribution.
   */
  ecosystem: string | null;
}

/** One installed package, as found in one file of one layer. */
export interface InventoryPackage {
  type: PackageType;
  /**
   * As its ecosystem names it: the binary package (dpkg `Package`, apk `P`, rpm `Name`),
   * the npm name (with scope), the PyPI project name as written, the Go module path, or
   * Maven `groupId:artifactId`.
   */
  name: string;
  /** As installed: dpkg `[epoch:]upstream[-revision]`, apk `V`, rpm `[epoch:]version-release`, … */
  version: string;
  /**
   * The source package OS advisories are filed under: dpkg `Source` (its version when the
   * field gives one, else the binary's), apk `o` (origin), rpm the source RPM's name.
   */
  source?: { name: string; version: string };
  /** The file it was read from, relative to the image root without a leading `/`. */
  path: string;
  /** Digest of the layer that file came from. */
  layer: string;
  /** Package URL (purl), for the SBOM. */
  purl: string;
  /** Licenses the package declares, as written; [] when none is declared. */
  licenses: string[];
}

/** A secret found in a file. The value itself is never kept: only a masked form. */
export interface SecretFinding {
  /** Stable rule id: `private-key`, `aws-access-key-id`, `github-token`, … */
  rule: string;
  /** What was found, for people: "AWS access key ID". */
  title: string;
  severity: Severity;
  path: string;
  /** 1-based line number of the match's first character. */
  line: number;
  layer: string;
  /** The matched text with all but a few leading characters replaced by `*`. */
  masked: string;
}

/** Something the scanner saw but could not read, said plainly. */
export interface ScanNote {
  path: string;
  layer: string;
  /** e.g. "BerkeleyDB rpm database (Packages) is not read", "Go binary built before Go 1.18: build info not read". */
  message: string;
}

/** Everything read out of one platform image. */
export interface Inventory {
  os: OsInfo | null;
  packages: InventoryPackage[];
  secrets: SecretFinding[];
  notes: ScanNote[];
}

/** One file of a layer, as the layer walk offers it to an analyzer. */
export interface FileInfo {
  /** Relative to the image root, no leading `/` or `./`, `/`-separated. */
  path: string;
  size: number;
  /** Unix mode bits from the tar header (0o755 …). */
  mode: number;
  layer: string;
}

/** What an analyzer found in one file. Replaced or removed as a whole when an upper layer replaces or deletes that file. */
export interface FileFindings {
  os?: OsInfo;
  packages?: InventoryPackage[];
  secrets?: SecretFinding[];
  notes?: ScanNote[];
}

/**
 * Reads one kind of file. The layer walk asks `wants` for every regular file; when it says
 * yes, the walk hands over the content (whole, up to `maxBytes`) or a stream of it, and
 * keeps what comes back under the file's path, so that whiteouts and later layers apply.
 * An analyzer never throws for bad content: it returns a note instead.
 */
export interface FileAnalyzer {
  /** Short and stable: `dpkg`, `apk`, `rpm`, `os-release`, `npm`, `pypi`, `go-binary`, `jar`, `secrets`. */
  readonly name: string;
  wants(file: FileInfo): boolean;
  /** Files larger than this are not read whole (the walk records a note instead); ignored for streaming analyzers. */
  readonly maxBytes?: number;
  /** Whole-file analyzers. */
  analyze?(file: FileInfo, content: Buffer): FileFindings | Promise<FileFindings>;
  /** Streaming analyzers (Go binaries: the build info is found without holding the file). */
  analyzeStream?(file: FileInfo, content: AsyncIterable<Buffer>): Promise<FileFindings>;
}

/** One advisory's verdict on one installed package. */
export interface Vulnerability {
  /** The advisory id (`CVE-2024-1234`, `GHSA-…`, `DSA-…`, `DLA-…`, `ALSA-…`), as the record names itself. */
  id: string;
  /** Other ids of the same advisory (CVE ids of a GHSA record…). */
  aliases: string[];
  /** Where to read about it: the record's first ADVISORY or WEB reference, or the OSV page. */
  url: string;
  severity: Severity;
  /** CVSS base score when the record gives a vector; null otherwise. */
  score: number | null;
  /** The CVSS vector the severity came from, when one did. */
  vector: string | null;
  title: string;
  /** The package as installed (binary name for OS packages). */
  package: string;
  packageType: PackageType;
  installedVersion: string;
  /** The first version that fixes it for this installed version, or null when none is known. */
  fixedVersion: string | null;
  path: string;
  layer: string;
}

// ── OSV records (https://ossf.github.io/osv-schema/), the fields Berth reads ─────────────

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  events: OsvEvent[];
}

export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, or a database's own (`Ubuntu`). */
  type: string;
  /** A CVSS vector, or the database's own level. */
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown>;
}
