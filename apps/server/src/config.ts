import { z } from 'zod';
import path from 'node:path';
import { MIN_PASSWORD_LENGTH } from '@berth/api';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const schema = z
  .object({
    BERTH_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    BERTH_HOST: z.string().min(1).default('0.0.0.0'),
    BERTH_DATA_DIR: z.string().min(1).default('./data'),
    BERTH_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' }).optional(),
    BERTH_PUBLIC_URL: url.optional(),
    BERTH_UPSTREAM_URL: url.optional(),
    BERTH_UPSTREAM_USERNAME: z.string().min(1).optional(),
    BERTH_UPSTREAM_PASSWORD: z.string().min(1).optional(),
    BERTH_ADMIN_PASSWORD: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).optional(),
    BERTH_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    BERTH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BERTH_PULL_FLUSH_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
    BERTH_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
    BERTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
    BERTH_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
    BERTH_RECONCILE_ON_START: bool.default(true),
    BERTH_CONSOLE_DIR: z.string().optional(),
    BERTH_JOB_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
    BERTH_JOB_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    BERTH_RECONCILE_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
    BERTH_GC_GRACE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
    BERTH_POLICY_RUN_AT: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC), e.g. 03:00')
      .default('03:00'),
    BERTH_VULN_DB: z.string().min(1).optional(),
    BERTH_VULN_DB_URL: z.string().url('must be a URL').default('https://osv-vulnerabilities.storage.googleapis.com'),
    BERTH_VULN_DB_ECOSYSTEMS: z.string().min(1).optional(),
    BERTH_VULN_DB_STALE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    BERTH_VULN_DB_CHECK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    BERTH_SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    BERTH_SCAN_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    BERTH_SCAN_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    BERTH_RESCAN_PULLED_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    BERTH_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    BERTH_REGISTRY_ALLOW: z.string().max(4096).optional(),
    BERTH_REGISTRY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
    BERTH_SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
    BERTH_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    BERTH_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
    BERTH_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(65_000),
    BERTH_BODY_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    BERTH_BODY_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(1).max(1 << 30).default(1024),
  })
  .superRefine((v, ctx) => {
    // The URL is shown to every console user (the registry page): credentials go in their own variables.
    if (v.BERTH_UPSTREAM_URL && /^[a-z]+:\/\/[^/]*@/i.test(v.BERTH_UPSTREAM_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['BERTH_UPSTREAM_URL'],
        message: 'must not carry credentials; set BERTH_UPSTREAM_USERNAME and BERTH_UPSTREAM_PASSWORD instead',
      });
    }
    if (Boolean(v.BERTH_UPSTREAM_USERNAME) !== Boolean(v.BERTH_UPSTREAM_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['BERTH_UPSTREAM_PASSWORD'],
        message: 'BERTH_UPSTREAM_USERNAME and BERTH_UPSTREAM_PASSWORD are set together',
      });
    }
  });

/** Berth's configuration, parsed once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL store; unset: SQLite at `<dataDir>/berth.db`. */
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  upstream: { url: string; username?: string; password?: string } | undefined;
  adminPassword: string | undefined;
  secretKey: string | undefined;
  logLevel: z.infer<typeof schema>['BERTH_LOG_LEVEL'];
  pullFlushMs: number;
  sessionHours: number;
  tokenTtlSeconds: number;
  loginRateLimit: number;
  reconcileOnStart: boolean;
  consoleDir: string | undefined;
  metricsToken: string | undefined;
  jobPollMs: number;
  jobLeaseMs: number;
  /** 0: no periodic reconciliation. */
  reconcileIntervalMinutes: number;
  /** Garbage collection keeps blobs, links and uploads younger than this (a push in flight). */
  gcGraceMinutes: number;
  /** When the daily deletion-policy run starts, `HH:MM` UTC. */
  policyRunAt: string;
  /** The advisory database directory (OSV JSON records and/or all.zip files); default `<dataDir>/vuln-db`. */
  vulnDbDir: string;
  /** Where `berth vuln-db update` downloads OSV's per-ecosystem all.zip files from. */
  vulnDbUrl: string;
  /** The OSV ecosystems `berth vuln-db update` downloads; null: the scanner's default list. */
  vulnDbEcosystems: string[] | null;
  /** After this many days without an update the console warns that the database is stale. */
  vulnDbStaleDays: number;
  /** How often each instance looks for a changed database in its directory. */
  vulnDbCheckMs: number;
  /** Scans running at once on this instance. */
  scanConcurrency: number;
  scanTimeoutMs: number;
  scanAttempts: number;
  /** When the database changes, artifacts pulled in this many days are matched again. */
  rescanPulledDays: number;
  /**
   * External registries: hosts (`lab.example`, `10.0.0.5`) or CIDRs (`169.254.0.0/16`) an admin
   * explicitly allows, for plain HTTP besides loopback, and past the refused address ranges.
   */
  registryAllow: string[];
  /** Each request to an external registry (connection test, browsing) gives up after this. */
  registryTimeoutMs: number;
  shutdownDrainMs: number;
  shutdownTimeoutMs: number;
  /** Client timeouts of the HTTP server (slowloris): see http/server-timeouts.ts. */
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** 0: request bodies may arrive at any pace. */
  bodyTimeoutMs: number;
  bodyMinBytesPerSecond: number;
}

export class ConfigError extends Error {}

/** Parses the environment; every bad variable is named in one error message. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('BERTH_') && v !== ''));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`Berth cannot start; fix these settings:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  return {
    port: v.BERTH_PORT,
    host: v.BERTH_HOST,
    dataDir: path.resolve(v.BERTH_DATA_DIR),
    databaseUrl: v.BERTH_DATABASE_URL,
    publicUrl: v.BERTH_PUBLIC_URL?.replace(/\/+$/, ''),
    upstream: v.BERTH_UPSTREAM_URL
      ? {
          url: v.BERTH_UPSTREAM_URL.replace(/\/+$/, ''),
          ...(v.BERTH_UPSTREAM_USERNAME ? { username: v.BERTH_UPSTREAM_USERNAME } : {}),
          ...(v.BERTH_UPSTREAM_PASSWORD ? { password: v.BERTH_UPSTREAM_PASSWORD } : {}),
        }
      : undefined,
    adminPassword: v.BERTH_ADMIN_PASSWORD,
    secretKey: v.BERTH_SECRET_KEY,
    logLevel: v.BERTH_LOG_LEVEL,
    pullFlushMs: v.BERTH_PULL_FLUSH_MS,
    sessionHours: v.BERTH_SESSION_HOURS,
    tokenTtlSeconds: v.BERTH_TOKEN_TTL_SECONDS,
    loginRateLimit: v.BERTH_LOGIN_RATE_LIMIT,
    reconcileOnStart: v.BERTH_RECONCILE_ON_START,
    consoleDir: v.BERTH_CONSOLE_DIR,
    metricsToken: v.BERTH_METRICS_TOKEN,
    jobPollMs: v.BERTH_JOB_POLL_MS,
    jobLeaseMs: v.BERTH_JOB_LEASE_MS,
    reconcileIntervalMinutes: v.BERTH_RECONCILE_INTERVAL_MINUTES,
    gcGraceMinutes: v.BERTH_GC_GRACE_MINUTES,
    policyRunAt: v.BERTH_POLICY_RUN_AT,
    vulnDbDir: path.resolve(v.BERTH_VULN_DB ?? path.join(v.BERTH_DATA_DIR, 'vuln-db')),
    vulnDbUrl: v.BERTH_VULN_DB_URL,
    vulnDbEcosystems: v.BERTH_VULN_DB_ECOSYSTEMS ? v.BERTH_VULN_DB_ECOSYSTEMS.split(',').map((e) => e.trim()).filter(Boolean) : null,
    vulnDbStaleDays: v.BERTH_VULN_DB_STALE_DAYS,
    vulnDbCheckMs: v.BERTH_VULN_DB_CHECK_SECONDS * 1000,
    scanConcurrency: v.BERTH_SCAN_CONCURRENCY,
    scanTimeoutMs: v.BERTH_SCAN_TIMEOUT_MINUTES * 60_000,
    scanAttempts: v.BERTH_SCAN_ATTEMPTS,
    rescanPulledDays: v.BERTH_RESCAN_PULLED_DAYS,
    registryAllow: (v.BERTH_REGISTRY_ALLOW ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean),
    registryTimeoutMs: v.BERTH_REGISTRY_TIMEOUT_SECONDS * 1000,
    shutdownDrainMs: v.BERTH_SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: v.BERTH_SHUTDOWN_TIMEOUT_MS,
    headersTimeoutMs: v.BERTH_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: v.BERTH_KEEP_ALIVE_TIMEOUT_MS,
    bodyTimeoutMs: v.BERTH_BODY_TIMEOUT_MS,
    bodyMinBytesPerSecond: v.BERTH_BODY_MIN_BYTES_PER_SECOND,
  };
}
