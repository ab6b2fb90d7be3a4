import express, { type Router } from 'express';
import { openApiDocument, type OpenApiDocument } from '@berth/api';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of /api/v1, generated from the contract
 * once, on first request. Mounted after authentication like every other API route: the
 * document names every route and field, which is for the people who may use them.
 */
export function openApiRoutes(): Router {
  const r = express.Router();
  let document: OpenApiDocument | null = null;
  r.get('/openapi.json', (_req, res) => {
    document ??= openApiDocument();
    res.json(document);
  });
  return r;
}
