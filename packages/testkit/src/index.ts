/**
 * @berth/testkit: helpers that start and drive the real parts Berth works with
 * (CNCF distribution, PostgreSQL, skopeo, podman, OCI image layouts) for integration tests,
 * e2e and benchmarks. No mocks.
 */
export { freePort, tempDir, type TempDir } from './ports.ts';
export {
  DISTRIBUTION_BIN,
  distributionInstalled,
  htpasswdLine,
  startDistribution,
  type Distribution,
  type DistributionOptions,
} from './distribution.ts';
export { OPENSSL_BIN, selfSignedCert, startTokenServer, type Access, type CertFiles, type TokenServer, type TokenServerOptions } from './token-server.ts';
export { POSTGRES_BIN_DIR, createDatabase, postgresInstalled, startPostgres, type Postgres } from './postgres.ts';
export { buildTar, tarHeader, tarPadding, TAR_END, type TarEntry, type TarType } from './tar.ts';
export {
  OCI_MEDIA_TYPES,
  REF_NAME_ANNOTATION,
  pseudoRandomStream,
  readBlob,
  writeBlob,
  writeImageLayout,
  writeIndexLayout,
  type Descriptor,
  type ImageConfigSpec,
  type ImageLayout,
  type ImageLayoutOptions,
  type IndexLayout,
  type IndexLayoutOptions,
  type LayerSpec,
  type Platform,
  type PlatformSpec,
  type WrittenLayer,
} from './oci-layout.ts';
export {
  CommandError,
  PODMAN_BIN,
  SKOPEO_BIN,
  createPodman,
  isolatedAuthFile,
  podmanInstalled,
  runCommand,
  skopeo,
  skopeoCopy,
  skopeoDelete,
  skopeoInspect,
  skopeoInstalled,
  skopeoListTags,
  skopeoLogin,
  skopeoLogout,
  toTransportRef,
  type CommandResult,
  type Credentials,
  type Podman,
  type PodmanTransferOptions,
  type RunOptions,
  type SkopeoCopyOptions,
  type SkopeoInspectOptions,
  type SkopeoOptions,
} from './clients.ts';
export { startBuiltBerth, type BerthProcess } from './berth-process.ts';
export { startRoundRobin, type RoundRobin } from './round-robin.ts';
export { startFaultyProxy, type FaultyProxy } from './faulty-proxy.ts';
export { startCuttableProxy, type CuttableProxy } from './cuttable-proxy.ts';
export { startBuiltBerthOnDisks, type BerthOnDisks, type DiskSpec } from './data-disk.ts';
