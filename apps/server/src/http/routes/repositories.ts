import express, { type Router } from 'express';
import {
  createRepositoryRequest,
  createRepositoryUserRequest,
  listRepositoriesQuery,
  updateRepositoryRequest,
  updateRepositoryUserRequest,
} from '@berth/api';
import type { RepositoryService } from '../../services/repositories.ts';
import { requireAdmin, who } from '../auth.ts';

/** Repositories and their repository users. */
export function repositoryRoutes(repositories: RepositoryService): Router {
  const r = express.Router();
  const p = (v: unknown) => String(v);

  r.get('/repositories', async (req, res) => {
    res.json(await repositories.list(listRepositoriesQuery.parse(req.query)));
  });
  r.post('/repositories', requireAdmin, async (req, res) => {
    res.status(201).json(await repositories.create(who(req), createRepositoryRequest.parse(req.body)));
  });
  r.get('/repositories/:repository', async (req, res) => {
    res.json(await repositories.get(p(req.params.repository)));
  });
  r.patch('/repositories/:repository', requireAdmin, async (req, res) => {
    res.json(await repositories.update(who(req), p(req.params.repository), updateRepositoryRequest.parse(req.body)));
  });
  r.delete('/repositories/:repository', requireAdmin, async (req, res) => {
    await repositories.remove(who(req), p(req.params.repository));
    res.status(204).end();
  });

  r.get('/repositories/:repository/users', async (req, res) => {
    res.json({ items: await repositories.listUsers(p(req.params.repository)) });
  });
  r.post('/repositories/:repository/users', requireAdmin, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.status(201).json(await repositories.createUser(who(req), p(req.params.repository), createRepositoryUserRequest.parse(req.body)));
  });
  r.patch('/repositories/:repository/users/:user', requireAdmin, async (req, res) => {
    res.json(await repositories.updateUser(who(req), p(req.params.repository), p(req.params.user), updateRepositoryUserRequest.parse(req.body)));
  });
  r.post('/repositories/:repository/users/:user/rotate', requireAdmin, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(await repositories.rotateUser(who(req), p(req.params.repository), p(req.params.user)));
  });
  r.delete('/repositories/:repository/users/:user', requireAdmin, async (req, res) => {
    await repositories.removeUser(who(req), p(req.params.repository), p(req.params.user));
    res.status(204).end();
  });
  return r;
}
