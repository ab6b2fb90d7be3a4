// The secret rules. Every rule names keywords, one of which occurs in every text it matches:
// the matcher looks for keywords first (a plain substring search over the file) and runs the
// regex only on a bounded window around each keyword. The regexes are written so that no
// input makes them backtrack much: every quantifier is bounded, no quantified group holds
// another quantifier or an alternation, and a token's end is a lookahead on its own
// character class, so there is one way to match.
import type { Severity } from '../types.ts';

/** One kind of secret. */
export interface SecretRule {
  /** Stable id, reported as `SecretFinding.rule`. */
  id: string;
  title: string;
  severity: Severity;
  /**
   * Substrings, one of which every match contains (case-sensitive). Few and shared where
   * they can be (`xox` for all Slack token kinds): each costs one pass over every file.
   */
  keywords: string[];
  /** Global (`g`) regex; the named group `secret`, when present, is the part that is masked. */
  regex: RegExp;
  /**
   * Looks at the text following a match (up to 1 KiB, across lines): returns the secret to
   * mask, or null to drop the match. Used where the match alone is not the secret.
   */
  confirm?: (after: string) => string | null;
  /** Drops matches whose secret is a placeholder or a documented example. */
  reject?: (secret: string) => boolean;
}

/**
 * Keys AWS publishes in its documentation; they are in many READMEs and test files, never
 * real. Matches that carry them are dropped.
 */
export const AWS_EXAMPLE_VALUES = ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'];

/** The key material after a PEM/PGP header: the first 40 base64 characters within the next lines. */
function pemBody(after: string): string | null {
  const m = /[A-Za-z0-9+/]{40}/.exec(after.slice(0, 400));
  return m ? m[0] : null;
}

const looksLikePlaceholder = (s: string): boolean => /[${}<>*]|%s|^x{1,128}$|^(?:password|pass|passwd|secret|changeme)$/i.test(s);

/** All rules, most specific first (an overlapping match of a later rule on the same text is dropped). */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account private key',
    severity: 'critical',
    keywords: ['"private_key"'],
    regex: /"private_key"\s{0,4}:\s{0,4}"-----BEGIN PRIVATE KEY-----\\n(?<secret>[A-Za-z0-9+/]{40})/g,
  },
  {
    id: 'private-key',
    title: 'Private key',
    severity: 'high',
    keywords: ['PRIVATE KEY'],
    regex: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g,
    // A header alone is often a string in code (`"-----BEGIN RSA PRIVATE KEY-----"` in a
    // crypto library); a key has base64 body after it.
    confirm: pemBody,
  },
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'critical',
    keywords: ['AKIA', 'ASIA'],
    regex: /(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])/g,
    reject: (s) => AWS_EXAMPLE_VALUES.includes(s),
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'critical',
    keywords: ['aws_secret_', 'AWS_SECRET_', 'ecretAccessKey'],
    regex:
      /(?:aws_secret_access_key|AWS_SECRET_ACCESS_KEY|SecretAccessKey|secretAccessKey|aws_secret_key|AWS_SECRET_KEY)["']?\s{0,4}(?:=>|[:=])\s{0,4}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    reject: (s) => AWS_EXAMPLE_VALUES.includes(s),
  },
  {
    id: 'github-token',
    title: 'GitHub token',
    severity: 'critical',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    regex: /(?<![A-Za-z0-9_])(?<secret>gh[pousr]_[A-Za-z0-9]{36,76})(?![A-Za-z0-9_])/g,
  },
  {
    id: 'github-fine-grained-token',
    title: 'GitHub fine-grained personal access token',
    severity: 'critical',
    keywords: ['github_pat_'],
    regex: /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9_]{70,100})(?![A-Za-z0-9_])/g,
  },
  {
    id: 'gitlab-token',
    title: 'GitLab personal access token',
    severity: 'critical',
    keywords: ['glpat-'],
    regex: /(?<![A-Za-z0-9_-])(?<secret>glpat-[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'high',
    keywords: ['xox'],
    regex: /(?<![A-Za-z0-9-])(?<secret>xox[abposr]-[0-9]{6,16}-[0-9A-Za-z-]{8,200})(?![0-9A-Za-z-])/g,
  },
  {
    id: 'slack-webhook',
    title: 'Slack webhook URL',
    severity: 'medium',
    keywords: ['hooks.slack.com/'],
    regex: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/(?<secret>[A-Za-z0-9+/]{20,160})(?![A-Za-z0-9+/])/g,
  },
  {
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    severity: 'critical',
    keywords: ['_live_'],
    regex: /(?<![A-Za-z0-9_])(?<secret>[sr]k_live_[A-Za-z0-9]{20,247})(?![A-Za-z0-9_])/g,
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'high',
    keywords: ['AIza'],
    regex: /(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    severity: 'critical',
    keywords: ['npm_'],
    regex: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
  },
  {
    id: 'pypi-token',
    title: 'PyPI API token',
    severity: 'critical',
    keywords: ['pypi-AgEIcHlwaS5vcmc'],
    regex: /(?<![A-Za-z0-9_-])(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,500})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'dockerhub-token',
    title: 'Docker Hub personal access token',
    severity: 'critical',
    keywords: ['dckr_pat_'],
    regex: /(?<![A-Za-z0-9_-])(?<secret>dckr_pat_[A-Za-z0-9_-]{24,40})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'url-credentials',
    title: 'Password in a URL',
    severity: 'medium',
    keywords: ['://'],
    regex: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s:@/"'<>]{0,64}:(?<secret>[^\s:@/"'<>]{1,128})@[A-Za-z0-9-]{1,63}/g,
    // The user may be empty (`redis://:pw@cache`). `${DB_PASSWORD}`, `<password>`, `%s`,
    // `****`: templates, not secrets.
    reject: looksLikePlaceholder,
  },
];
