// @berth/scanner: reads container images layer by layer into an inventory (OS and language
// packages, secrets), matches it against OSV advisories, and writes SBOMs.
export * from './types.ts';
export { osAnalyzers, pickOs, osEcosystem, osInfoFromOsRelease, osPurl } from './analyzers/os/index.ts';
export { languageAnalyzers } from './analyzers/lang/index.ts';
export { secretAnalyzer, SECRET_RULES, maskSecret, type SecretRule } from './secrets/index.ts';
export * from './layers/index.ts';
export * from './scan/index.ts';
export { schemeOf, compareVersions, isValidVersion, type VersionScheme } from './versions/index.ts';
export { affectedVersion, type AffectedVerdict } from './advisories/affected.ts';
export { severityOf, severityOfScore, type SeverityVerdict } from './advisories/severity.ts';
export { AdvisoryDatabase, type DatabaseInfo, type LoadOptions } from './advisories/database.ts';
export { matchInventory, type MatchResult } from './advisories/match.ts';
export { updateDatabase, archivePath, DEFAULT_BASE_URL, DEFAULT_ECOSYSTEMS, type UpdateOptions, type UpdateReport } from './advisories/update.ts';
export { toCycloneDx, CYCLONEDX_SPEC_VERSION, type SbomSubject } from './sbom/cyclonedx.ts';
