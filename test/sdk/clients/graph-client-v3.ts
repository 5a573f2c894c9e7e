// Run as a child process with NODE_EXTRA_CA_CERTS set: argv[2] is teamgraph's https origin.
const origin = process.argv[2] as string;
// snippet:start graph-client-v3
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';

const credential = new ClientSecretCredential('b33cbe9f-8ebe-4f2a-912b-7e2a427f477f', '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14', 'teamgraph-demo-secret', {
  authorityHost: origin, // teamgraph is the authority too
  disableInstanceDiscovery: true, // MSAL must not ask Microsoft's cloud about a local authority
});
const client = Client.initWithMiddleware({
  baseUrl: origin,
  customHosts: new Set([new URL(origin).hostname]), // graph-client sends the token only to these hosts, over https
  authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] }),
});
const user = await client.api('/users/AdeleV@contoso.com').select('displayName').get();
const member = (upn: string) => ({
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  roles: ['owner'],
  'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${upn}')`,
});
const chat = await client
  .api('/chats')
  .post({ chatType: 'group', topic: 'Launch plan', members: [member('AdeleV@contoso.com'), member('MeganB@contoso.com')] });
// snippet:end graph-client-v3
console.log(JSON.stringify({ displayName: (user as { displayName: string }).displayName, chat: chat as { id: string; topic: string } }));
