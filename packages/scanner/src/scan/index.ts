export { scanImage, type LayerDescriptor, type ScanImageOptions, type ScanProgress } from './scan-image.ts';
export { scanArtifact, type ArtifactScan, type PlatformScan, type ScanArtifactOptions } from './scan-artifact.ts';
export { UnsupportedArtifactError } from './errors.ts';
export { DigestMismatchError, verifyDigest } from './verify-digest.ts';
