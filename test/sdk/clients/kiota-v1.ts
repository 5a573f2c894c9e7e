// Run as a child process with NODE_EXTRA_CA_CERTS set: argv[2] is teamgraph's https origin.
const origin = process.argv[2] as string;
// snippet:start kiota-v1
import { UsernamePasswordCredential } from '@azure/identity';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { GraphRequestAdapter, createGraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-chats';
import '@microsoft/msgraph-sdk-users';

const credential = new UsernamePasswordCredential(
  'b33cbe9f-8ebe-4f2a-912b-7e2a427f477f',
  '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14',
  'MeganB@contoso.com',
  'Passw0rd!',
  {
    authorityHost: origin,
    disableInstanceDiscovery: true,
  },
);
// The fourth argument lists the hosts that may receive the token: teamgraph's, not Microsoft's.
const authProvider = new AzureIdentityAuthenticationProvider(
  credential,
  ['https://graph.microsoft.com/.default'],
  undefined,
  new Set([new URL(origin).hostname]),
);
const adapter = new GraphRequestAdapter(authProvider);
adapter.baseUrl = `${origin}/v1.0`;
const graph = createGraphServiceClient(adapter);
const me = await graph.me.get();
const sent = await graph.chats.byChatId('19:d5b2c3a4-e6f7-8901-abcd-ef3456789012@thread.v2').messages.post({ body: { content: 'Hello from the Kiota SDK' } });
// snippet:end kiota-v1
console.log(JSON.stringify({ userPrincipalName: me?.userPrincipalName, sent: { id: sent?.id, from: sent?.from?.user?.id } }));
