import express, { type Router } from 'express';
import { listVulnerabilitiesQuery, pullRestriction, putImagePullRestriction, putImageScanSettings, scanSettings } from '@berth/api';
import type { ScanService } from '../../services/scans.ts';
import type { VulnerabilityDatabaseService } from '../../services/vulnerability-database.ts';
import { requireAdmin, who } from '../auth.ts';

/**
 * Scan settings, pull restrictions, scan requests and results (`:image` is URL-encoded).
 * Reads are open to every signed-in account; settings and scan requests are for admins.
 */
export function scanRoutes(scans: ScanService, database: VulnerabilityDatabaseService): Router {
  const r = express.Router();
  const p = (v: unknown) => String(v);
  const image = '/repositories/:repository/images/:image';
  const artifact = `${image}/artifacts/:digest`;
  const names = (req: express.Request) => [p(req.params.repository), p(req.params.image)] as const;

  r.get('/vulnerability-database', async (_req, res) => {
    res.json(database.state());
  });

  r.get(`${image}/scan-settings`, async (req, res) => {
    res.json(await scans.scanSettings(...names(req)));
  });
  r.put(`${image}/scan-settings`, requireAdmin, async (req, res) => {
    res.json(await scans.putScanSettings(who(req), ...names(req), putImageScanSettings.parse(req.body)));
  });
  r.get('/repositories/:repository/scan-settings', async (req, res) => {
    res.json(await scans.repositoryScanSettings(p(req.params.repository)));
  });
  r.put('/repositories/:repository/scan-settings', requireAdmin, async (req, res) => {
    res.json(await scans.putRepositoryScanSettings(who(req), p(req.params.repository), scanSettings.parse(req.body)));
  });

  r.get(`${image}/pull-restriction`, async (req, res) => {
    res.json(await scans.pullRestriction(...names(req)));
  });
  r.put(`${image}/pull-restriction`, requireAdmin, async (req, res) => {
    res.json(await scans.putPullRestriction(who(req), ...names(req), putImagePullRestriction.parse(req.body)));
  });
  r.get('/repositories/:repository/pull-restriction', async (req, res) => {
    res.json(await scans.repositoryPullRestriction(p(req.params.repository)));
  });
  r.put('/repositories/:repository/pull-restriction', requireAdmin, async (req, res) => {
    res.json(await scans.putRepositoryPullRestriction(who(req), p(req.params.repository), pullRestriction.parse(req.body)));
  });

  // "Vulnerability check": the whole image, or one artifact.
  r.post(`${image}/scan`, requireAdmin, async (req, res) => {
    database.require();
    res.status(202).json(await scans.request(who(req), ...names(req)));
  });
  r.post(`${artifact}/scan`, requireAdmin, async (req, res) => {
    database.require();
    res.status(202).json(await scans.request(who(req), ...names(req), p(req.params.digest)));
  });
  r.get(`${artifact}/scan`, async (req, res) => {
    res.json(await scans.status(...names(req), p(req.params.digest)));
  });
  r.get(`${artifact}/vulnerabilities`, async (req, res) => {
    res.json(await scans.vulnerabilities(...names(req), p(req.params.digest), listVulnerabilitiesQuery.parse(req.query)));
  });
  r.get(`${artifact}/secrets`, async (req, res) => {
    res.json(await scans.secrets(...names(req), p(req.params.digest)));
  });
  r.get(`${artifact}/scan-report`, async (req, res) => {
    const digest = p(req.params.digest);
    const report = await scans.report(...names(req), digest);
    res.setHeader('content-disposition', `attachment; filename="${digest.replace(':', '-')}-scan.json"`);
    res.json(report);
  });
  r.get(`${artifact}/sbom`, async (req, res) => {
    const digest = p(req.params.digest);
    const sbom = await scans.sbom(...names(req), digest);
    res.setHeader('content-disposition', `attachment; filename="${digest.replace(':', '-')}.cdx.json"`);
    res.type('application/vnd.cyclonedx+json').send(JSON.stringify(sbom));
  });
  return r;
}
