/** The artifact is not something the scanner reads (a Helm chart, a signature, an SBOM…); `message` says why, for people. */
export class UnsupportedArtifactError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsupportedArtifactError';
  }
}
