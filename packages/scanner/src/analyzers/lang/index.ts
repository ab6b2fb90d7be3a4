// The language package analyzers, in the order the layer walk should offer files to them.
import type { FileAnalyzer } from '../../types.ts';
import { goBinaryAnalyzer } from './go-binary.ts';
import { jarAnalyzer } from './jar.ts';
import { npmAnalyzer } from './npm.ts';
import { pypiAnalyzer } from './pypi.ts';

/** Analyzers for installed npm and Python packages, Go executables and Java archives. */
export function languageAnalyzers(): FileAnalyzer[] {
  return [npmAnalyzer(), pypiAnalyzer(), goBinaryAnalyzer(), jarAnalyzer()];
}
