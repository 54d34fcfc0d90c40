/**
 * Which published limit a Graph request counts against (wire-facts A8, "Microsoft Teams service
 * limits", https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits):
 * GET of installedApps (and their chat) and appCatalogs share one 30 rps row, POST installedApps
 * another, DELETE a 15 rps row. Directory reads (/users, /groups, delta) fall under the identity
 * limits, a resource-unit budget per 10 s, paced here as their own class.
 */
export type GraphClass = 'teamsGet' | 'teamsPost' | 'teamsDelete' | 'directory' | 'other';

export function classifyGraphRequest(method: string, url: string): GraphClass {
  const path = pathOf(url).toLowerCase();
  const m = method.toUpperCase();
  const teams = /\/teamwork\/installedapps|\/appcatalogs\//.test(path);
  if (teams) {
    if (m === 'GET') return 'teamsGet';
    if (m === 'POST') return 'teamsPost';
    if (m === 'DELETE') return 'teamsDelete';
    return 'other';
  }
  if (/\/(users|groups)(\/|$|\?)/.test(path)) return m === 'GET' ? 'directory' : 'other';
  return 'other';
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
