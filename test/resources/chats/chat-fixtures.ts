// The request bodies of the chat seed page (api-reference/beta/api/chat-post.md), verbatim, and the
// demo users they name.
export const users = {
  adele: '10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f',
  megan: '8b081ef6-4792-4def-b2c9-c363a1bf41d5',
  lee: '8c0a1a67-50ce-4114-bb6c-da9c5dbcf6ca',
  isaiah: '82fe7758-5bb3-4f0d-a43f-e555fd399c6f',
  johanna: '3626a173-f2bc-4883-bcf7-01514c3bfb82',
  nestor: '4b822dfc-2864-44e6-aa1e-7e0e8552168f',
  patti: '6d1e1501-7a3d-45b7-b71b-68d372e5ce14',
  guest: '8ba98gf6-7fc2-4eb2-c7f2-aef9f21fd98g',
  miriam: '82af01c5-f7cc-4a2e-a728-3a5df21afd9d',
  grady: 'bfb5bb25-3a8d-487d-9828-7875ced51a30',
} as const;
export const demoTenant = 'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f';
export const partnerTenant = '4dc1fe35-8ac6-4f0d-904a-7ebcd364bea1';
export const seededGroupChat = '19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2';
export const seededOneOnOne = '19:10f8c3a6-3e2a-4e8b-9c7d-5a4b6c8d9e0f_8b081ef6-4792-4def-b2c9-c363a1bf41d5@unq.gbl.spaces';

export function member(user: string, roles: string[] = ['owner'], extra: Record<string, unknown> = {}) {
  return {
    '@odata.type': '#microsoft.graph.aadUserConversationMember',
    roles,
    'user@odata.bind': `https://graph.microsoft.com/beta/users('${user}')`,
    ...extra,
  };
}

export const example1 = { chatType: 'oneOnOne', members: [member(users.megan), member(users.miriam)] };
export const example2 = { chatType: 'group', topic: 'Group chat title', members: [member(users.lee), member(users.isaiah), member(users.johanna)] };
export const example3 = {
  chatType: 'oneOnOne',
  members: [member(users.megan), member(users.miriam)],
  installedApps: [{ 'teamsApp@odata.bind': 'https://graph.microsoft.com/beta/appCatalogs/teamsApps/05F59CEC-A742-4A50-A62E-202A57E478A4' }],
};
export const example4 = {
  chatType: 'oneOnOne',
  members: [member(users.nestor), member(users.patti)],
  installedApps: [
    {
      'teamsApp@odata.bind': 'https://graph.microsoft.com/beta/appCatalogs/teamsApps/8e55a7b1-6766-4f0a-8610-ecacfe3d569a',
      consentedPermissionSet: {
        resourceSpecificPermissions: [
          { permissionValue: 'ChatMessage.Read.Chat', permissionType: 'application' },
          { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'application' },
        ],
      },
    },
  ],
};
export const example5 = { chatType: 'oneOnOne', members: [member('jacob@contoso.com'), member('alex@contoso.com')] };
export const example6 = { chatType: 'group', topic: 'Group chat title', members: [member(users.lee), member(users.isaiah), member(users.guest, ['guest'])] };
export const example7 = { chatType: 'oneOnOne', members: [member(users.megan), member(users.miriam, ['owner'], { tenantId: partnerTenant })] };
