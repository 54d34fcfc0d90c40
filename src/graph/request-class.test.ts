import { expect } from 'chai';
import { classifyGraphRequest, type GraphClass } from './request-class.js';

describe('classifyGraphRequest', () => {
  const table: [string, string, GraphClass][] = [
    ['GET', 'https://graph.microsoft.com/v1.0/users/abc/teamwork/installedApps?$expand=teamsApp', 'teamsGet'],
    ['GET', 'https://graph.microsoft.com/v1.0/users/abc/teamwork/installedApps/xyz/chat', 'teamsGet'],
    ['GET', "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps?$filter=externalId eq 'x'", 'teamsGet'],
    ['POST', 'https://graph.microsoft.com/v1.0/users/abc/teamwork/installedApps', 'teamsPost'],
    ['DELETE', 'https://graph.microsoft.com/v1.0/users/abc/teamwork/installedApps/xyz', 'teamsDelete'],
    ['GET', 'https://graph.microsoft.com/v1.0/users?$top=999', 'directory'],
    ['GET', 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x', 'directory'],
    ['GET', 'https://graph.microsoft.com/v1.0/groups/g/transitiveMembers/microsoft.graph.user', 'directory'],
    ['GET', 'https://graph.microsoft.com/v1.0/users/ada@contoso.com', 'directory'],
    ['POST', 'https://graph.microsoft.com/v1.0/$batch', 'other'],
    ['GET', '/users/abc/teamwork/installedApps', 'teamsGet'],
  ];
  for (const [method, url, cls] of table) it(`${method} ${url} → ${cls}`, () => expect(classifyGraphRequest(method, url)).to.equal(cls));
});
