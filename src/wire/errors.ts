// Graph's error catalogue: code -> status. Messages are Graph's literal English where Graph fixes them
// (concepts/errors.md, and the tables of each API page). docs/errors.md lists the same catalogue and
// test/wire/error-catalogue.test.ts keeps the two in step.
export const graphErrorStatus = {
  BadRequest: 400,
  InvalidRequest: 400,
  ErrorInvalidIdMalformed: 400,
  ErrorInvalidRecipients: 400,
  InvalidAuthenticationToken: 401,
  Forbidden: 403,
  ErrorAccessDenied: 403,
  NotFound: 404,
  Request_ResourceNotFound: 404,
  ErrorItemNotFound: 404,
  ResourceNotFound: 404,
  Request_BadRequest: 405,
  RequestTimeout: 408,
  Conflict: 409,
  NameAlreadyExists: 409,
  PreconditionFailed: 412,
  RequestEntityTooLarge: 413,
  RequestUriTooLong: 414,
  UnsupportedMediaType: 415,
  FailedDependency: 424,
  PreconditionRequired: 428,
  TooManyRequests: 429,
  RequestHeaderFieldsTooLarge: 431,
  InternalServerError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
  GatewayTimeout: 504,
} as const;

export type GraphErrorCode = keyof typeof graphErrorStatus;

export interface GraphErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class GraphError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    readonly details?: readonly GraphErrorDetail[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }

  get status(): number {
    return graphErrorStatus[this.code];
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

export interface GraphErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: readonly GraphErrorDetail[];
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

/** The one shape every failure takes on the wire (concepts/errors.md). */
export function errorEnvelope(err: GraphError, ids: RequestIds, now = new Date()): GraphErrorEnvelope {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details === undefined ? {} : { details: err.details }),
      // Graph writes the date in UTC without fraction or zone designator.
      innerError: { date: now.toISOString().slice(0, 19), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

export const badRequest = (message: string) => new GraphError('BadRequest', message);
export const notFound = (message: string) => new GraphError('NotFound', message);
export const forbidden = (message: string) => new GraphError('Forbidden', message);

// Directory objects (users, groups) answer a missing id in Azure AD's own words.
export const directoryObjectNotFound = (id: string) =>
  new GraphError('Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
/** A body property the Graph type does not define (OData's message; chat-post.md, chat-post-members.md). */
export const unknownProperty = (property: string, typeName: string) =>
  badRequest(
    `The property '${property}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
export const resourceSegmentNotFound = (segment: string) => badRequest(`Resource not found for the segment '${segment}'.`);
export const invalidVersion = (version: string) => badRequest(`Invalid version: ${version}`);
export const methodNotAllowed = () => new GraphError('Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
export const invalidJsonBody = () =>
  badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
export const unsupportedMediaType = (contentType: string) =>
  new GraphError('UnsupportedMediaType', `The content type '${contentType}' is not supported. Send application/json.`);
export const entityTooLarge = () => new GraphError('RequestEntityTooLarge', 'Request Entity too large');

// Failures of the HTTP exchange itself, met before a route is known (docs/decisions.md 101).
export const malformedUrl = () => badRequest('The request URL is not valid: it holds a malformed percent-escape.');
export const malformedHttp = (reason: string) => badRequest(`The request is not valid HTTP/1.1: ${reason}.`);
export const segmentTooLong = (maxLength: number) =>
  new GraphError('RequestUriTooLong', `A segment of the request URL is longer than ${maxLength} characters.`);
export const urlTooLong = () => new GraphError('RequestUriTooLong', 'The request URL is too long: the request line and headers together must fit in 16 KB.');
export const headersTooLarge = () =>
  new GraphError('RequestHeaderFieldsTooLarge', 'The request headers are too large: the request line and headers together must fit in 16 KB.');
export const requestTimeout = () => new GraphError('RequestTimeout', 'The server timed out waiting for the request.');
// Graph's words for serviceNotAvailable (concepts/errors.md); the instance is shutting down.
export const shuttingDown = (retryAfterSeconds: number) =>
  new GraphError('ServiceUnavailable', 'The service is not available. Try the request again after a delay.', undefined, {
    'retry-after': String(retryAfterSeconds),
  });
export const internalError = () => new GraphError('InternalServerError', 'An internal server error occurred. The request-id identifies it in the server log.');

// Optimistic concurrency on the beta sections hierarchy (teamworksection-post-items.md and its siblings).
export const ifMatchRequired = () => new GraphError('PreconditionRequired', 'The If-Match header is required for this operation.');
export const sectionsVersionStale = () =>
  new GraphError(
    'PreconditionFailed',
    "The If-Match header value doesn't match the current section hierarchy version. List sections again to retrieve the current @microsoft.graph.sectionsVersion annotation and retry.",
  );
