import assert from 'node:assert/strict';
import { type TestResponse, type TestServer, assertStatus } from '../../helpers/server.ts';

// The demo tenant's sections (src/seed/demo-tenant.json) and the ids of the seed page 000.
export const tenantId = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
export const adeleId = '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f';
export const sectionsUrl = `/beta/users/${adeleId}/teamwork/sections`;
export const phoenixId = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890';
export const favoritesId = 'f0e1d2c3-b4a5-4968-8776-655443322110';
export const groupChatId = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
export const oneOnOneChatId = '19:10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f_8b081ef6-4792-4def-b2c9-c363a1bf41d5@unq.gbl.spaces';
export const communityId = 'eyJfdHlwZSI6Ikdyb3VwIiwiaWQiOiIxOTAzMzYyMTIyMTAifQ';
export const communityThreadId = `19:${communityId}@EngageCommunity`;
export const seedVersion = 1742515200;
export const systemId = (name: string, userId = adeleId) => `${tenantId}~${userId}~${name}`;

export const ifMatch = (version: number | string) => ({ 'if-match': typeof version === 'number' ? `"${version}"` : version });

/** The current @microsoft.graph.sectionsVersion, as a number. */
export async function currentVersion(server: Pick<TestServer, 'request'>): Promise<number> {
  const response = await server.request('GET', sectionsUrl);
  assertStatus(response, 200);
  return Number(response.body['@microsoft.graph.sectionsVersion']);
}

/** Every section of the user, by id, and each section's item ids; checked against the Graph schema. */
export async function snapshot(server: Pick<TestServer, 'request'>): Promise<{ order: string[]; version: string; items: Record<string, string[]> }> {
  const list = await server.request('GET', sectionsUrl);
  assertStatus(list, 200);
  const expanded = await server.request('GET', `${sectionsUrl}?$expand=items`);
  assertStatus(expanded, 200);
  const items: Record<string, string[]> = {};
  for (const section of expanded.body.value) items[section.id] = section.items.map((item: { id: string }) => item.id);
  return { order: list.body['@microsoft.graph.sectionsOrder'], version: list.body['@microsoft.graph.sectionsVersion'], items };
}

export function assertItem(response: TestResponse, status: number, id: string, itemType: string, version: number): void {
  assertStatus(response, status);
  assert.equal(response.body['@odata.type'], '#microsoft.graph.teamworkSectionItem');
  assert.equal(response.body['@odata.etag'], `"${version}"`);
  assert.equal(response.body.id, id);
  assert.equal(response.body.itemType, itemType);
  assert.match(response.body.createdDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(response.body.lastModifiedDateTime, null);
}
