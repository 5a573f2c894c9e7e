// Run as a child process with NODE_EXTRA_CA_CERTS set: argv[2] is teamgraph's https origin.
const origin = process.argv[2] as string;
// snippet:start kiota-beta
import { ClientSecretCredential } from '@azure/identity';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter, createGraphBetaServiceClient } from '@microsoft/msgraph-beta-sdk';
import {
  type TeamworkSection,
  type TeamworkSectionCollectionResponse,
  type User,
  createTeamworkSectionCollectionResponseFromDiscriminatorValue,
  createTeamworkSectionFromDiscriminatorValue,
  createUserFromDiscriminatorValue,
  serializeTeamworkSection,
} from '@microsoft/msgraph-beta-sdk/models/index.js';

const credential = new ClientSecretCredential('b33cbe9f-8ebe-4f2a-912b-7e2a427f477f', '6e2b3c8a-1f4d-4b7e-9a21-7c5d0e3f9b14', 'teamgraph-demo-secret', {
  authorityHost: origin,
  disableInstanceDiscovery: true,
});
const adapter = new GraphBetaRequestAdapter(
  new AzureIdentityAuthenticationProvider(credential, ['https://graph.microsoft.com/.default'], undefined, new Set([new URL(origin).hostname])),
);
adapter.baseUrl = `${origin}/beta`;
createGraphBetaServiceClient(adapter);
// The beta SDK ships models without fluent builders: requests go through RequestInformation.
const request = new RequestInformation(HttpMethod.GET, '{+baseurl}/users/{id}');
request.pathParameters = { baseurl: adapter.baseUrl, id: 'AdeleV@contoso.com' };
request.headers.tryAdd('Accept', 'application/json');
const user = await adapter.send<User>(request, createUserFromDiscriminatorValue, undefined);

// A write: sections need If-Match with the current hierarchy version, read from the list first.
const sectionsUrl = '{+baseurl}/users/{id}/teamwork/sections';
const list = new RequestInformation(HttpMethod.GET, sectionsUrl);
list.pathParameters = { baseurl: adapter.baseUrl, id: 'AdeleV@contoso.com' };
const sections = await adapter.send<TeamworkSectionCollectionResponse>(list, createTeamworkSectionCollectionResponseFromDiscriminatorValue, undefined);
const create = new RequestInformation(HttpMethod.POST, sectionsUrl);
create.pathParameters = list.pathParameters;
create.headers.tryAdd('If-Match', `"${String(sections?.additionalData?.['@microsoft.graph.sectionsVersion'])}"`);
create.setContentFromParsable(adapter, 'application/json', { displayName: 'From the beta SDK' }, serializeTeamworkSection);
const section = await adapter.send<TeamworkSection>(create, createTeamworkSectionFromDiscriminatorValue, undefined);
// snippet:end kiota-beta
console.log(JSON.stringify({ displayName: user?.displayName, section: section?.displayName }));
