import { accountsSuite } from './accounts.suite.ts';
import { auditSuite } from './audit.suite.ts';
import type { OpenStore } from './fixtures.ts';
import { imagesSuite } from './images.suite.ts';
import { jobsSuite } from './jobs.suite.ts';
import { lifecycleSuite } from './lifecycle.suite.ts';
import { pullsSuite } from './pulls.suite.ts';
import { referrersSuite } from './referrers.suite.ts';
import { registriesSuite } from './registries.suite.ts';
import { repositoriesSuite } from './repositories.suite.ts';
import { repositoryUsersSuite } from './repository-users.suite.ts';
import { scansSuite } from './scans.suite.ts';
import { settingsSuite } from './settings.suite.ts';
import { transactionSuite } from './transaction.suite.ts';

/**
 * The conformance suites every Store adapter passes: one per aggregate, and one for
 * `transaction`. `open` gives a fresh, migrated store for each test.
 */
export function storeSuites(label: string, open: OpenStore): void {
  settingsSuite(label, open);
  accountsSuite(label, open);
  repositoriesSuite(label, open);
  repositoryUsersSuite(label, open);
  imagesSuite(label, open);
  pullsSuite(label, open);
  referrersSuite(label, open);
  jobsSuite(label, open);
  auditSuite(label, open);
  lifecycleSuite(label, open);
  scansSuite(label, open);
  registriesSuite(label, open);
  transactionSuite(label, open);
}
