import { randomUUID } from 'node:crypto';
import { GraphError } from '../../wire/errors.ts';

// How teamgraph talks to a subscriber's endpoints (concepts/change-notifications-delivery-webhooks.md).
// Node's fetch trusts the system's CAs and those NODE_EXTRA_CA_CERTS names, so an https receiver with a
// private CA works as it would with Graph once the CA is given.

/** Graph's limit on the answer to a validation request. */
const validationTimeoutMs = 10_000;

/** What a POST to a receiver came to: a 2xx, or why not (its status, or what failed). */
export interface PostResult {
  readonly delivered: boolean;
  readonly result: string;
}

const invalidRequest = (message: string) => new GraphError('InvalidRequest', message);

/** An absolute http or https URL; Graph insists on https, teamgraph lets a local receiver use http (compatibility.md). */
export function assertWebhookUrl(value: string, property: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRequest(`${property} must be an absolute http or https URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidRequest(`${property} must be an absolute http or https URL.`);
}

/**
 * Graph's validation handshake: a POST with `validationToken` in the query, which the endpoint must
 * answer within 10 seconds with 200 and the decoded token as its body. The token, as Graph's, holds
 * spaces and colons, so an endpoint that does not decode it fails here as it would against Graph.
 */
export async function validateEndpoint(notificationUrl: string): Promise<void> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const url = new URL(notificationUrl);
  url.searchParams.append('validationToken', token);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      redirect: 'manual',
      signal: AbortSignal.timeout(validationTimeoutMs),
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') throw invalidRequest('Subscription validation request timed out.');
    throw invalidRequest(`Subscription validation request failed. ${failureOf(err)}`);
  }
  const body = await response.text().catch(() => '');
  if (response.status !== 200)
    throw invalidRequest(
      `Subscription validation request failed. HTTP '${response.status}'. Notification endpoint must respond with 200 OK to validation request.`,
    );
  if (body !== token) throw invalidRequest('Subscription validation request failed. Response must exactly match validationToken query parameter.');
}

/** POSTs a notification body; delivered on a 2xx within `timeoutMs`, as Graph counts it. */
export async function postNotification(url: string, body: unknown, timeoutMs: number): Promise<PostResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { delivered: response.status >= 200 && response.status < 300, result: String(response.status) };
  } catch (err) {
    return { delivered: false, result: (err as Error).name === 'TimeoutError' ? 'timeout' : failureOf(err) };
  }
}

/** The reason under fetch's "fetch failed": ECONNREFUSED, a certificate error. */
function failureOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}
