/** The account's own calls in a fleet run (the operator's: activations, associations, reads), over HTTP. */
import { postTo } from "../../../test/support/endpoint.ts";
import { DEFAULT_IDENTITY, type Identity } from "../../../test/support/identity.ts";

/** One call signed with the account's key (the local default unless given); refused calls throw. */
export async function accountCall(
  endpoint: { url: string; host: string },
  operation: string,
  body: unknown,
  identity: Identity = DEFAULT_IDENTITY,
) {
  const answer = await postTo(endpoint, operation, JSON.stringify(body), { identity });
  if (answer.status !== 200) throw new Error(`${operation}: ${answer.status} ${JSON.stringify(answer.body)}`);
  // biome-ignore lint/suspicious/noExplicitAny: the bench reads response members freely
  return answer.body as Record<string, any>;
}
