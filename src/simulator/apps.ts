import express from 'express';
import { createBotFrameworkRouter } from './botframework.js';
import { createConnectorRouter } from './connector.js';
import type { SimContext } from './context.js';
import { createControlRouter } from './control.js';
import { createGraphRouter } from './graph/router.js';
import { createIssuerRouter } from './issuer.js';

/** The HTTPS face: Entra ID token issuer and Graph v1.0 (HTTPS because the real clients insist, wire-facts C/D). */
export function createHttpsApp(ctx: SimContext): express.Express {
  const app = bareApp();
  app.use(createIssuerRouter(ctx));
  app.use(createGraphRouter(ctx));
  app.use((req, res) => {
    res.status(400).json({ error: { code: 'BadRequest', message: `Invalid version or unknown path: ${req.path}. This tenant serves /v1.0 and the token issuer.` } });
  });
  return app;
}

/** The HTTP face: `/_sim` inspection and control, Bot Framework OpenID metadata + keys, Bot Connector. */
export function createHttpApp(ctx: SimContext): express.Express {
  const app = bareApp();
  app.use('/_sim', createControlRouter(ctx));
  app.use(createBotFrameworkRouter(ctx));
  app.use(createConnectorRouter(ctx));
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NotFound', message: `Nothing at ${req.method} ${req.path} in the simulated tenant.` } });
  });
  return app;
}

function bareApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  return app;
}
