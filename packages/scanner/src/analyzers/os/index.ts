// OS package analyzers: the distribution (os-release) and its package databases.

import type { FileAnalyzer } from '../../types.ts';
import { apkAnalyzer } from './apk.ts';
import { dpkgAnalyzer } from './dpkg.ts';
import { osReleaseAnalyzer } from './os-release.ts';
import { rpmAnalyzer } from './rpm/rpm.ts';

export { pickOs, osEcosystem, osInfoFromOsRelease } from './os-release.ts';
export { osPurl } from './purl.ts';

/** Fresh instances of the OS analyzers: os-release, dpkg, apk, rpm. */
export function osAnalyzers(): FileAnalyzer[] {
  return [osReleaseAnalyzer(), dpkgAnalyzer(), apkAnalyzer(), rpmAnalyzer()];
}
