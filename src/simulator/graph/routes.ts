import type { GraphRoute } from './call.js';
import { listCatalogApps } from './catalog.js';
import { usersDelta } from './delta.js';
import { groupTransitiveMembers, groupTransitiveUsers } from './groups.js';
import { installApp } from './install.js';
import { deleteInstalledApp, getInstallationChat, getInstalledApp, listInstalledApps } from './installed-apps.js';
import { getUser, listUsers } from './users.js';

/** Every Graph v1.0 route the simulated tenant serves, first match wins (`/users/delta` before `/users/{user}`). */
export const GRAPH_ROUTES: readonly GraphRoute[] = [
  listCatalogApps,
  listUsers,
  usersDelta,
  getUser,
  groupTransitiveMembers,
  groupTransitiveUsers,
  listInstalledApps,
  installApp,
  getInstalledApp,
  deleteInstalledApp,
  getInstallationChat,
];
