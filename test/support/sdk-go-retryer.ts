/**
 * What the SSM Agent's SDK does with a throttled answer, replayed: aws-sdk-go v1's DefaultRetryer
 * (aws/client/default_retryer.go, vendored in aws/amazon-ssm-agent) retries a call whose answer is
 * a throttle (HTTP 429, 502, 503, 504, or an error code such as `ThrottlingException`,
 * aws/request/retryer.go) up to DefaultRetryerMaxNumRetries = 3 times, the n-th retry (n from 0)
 * after 2^n × a random delay in [MinThrottleDelay, 2 × MinThrottleDelay), MinThrottleDelay 500 ms.
 * Other answers (a 500 included: the fleet reports those as they are) are not retried here.
 */
import type { WireAnswer } from "./agent-http.ts";

const MAX_RETRIES = 3;
const MIN_THROTTLE_DELAY_MS = 500;
const THROTTLE_STATUSES = new Set([429, 502, 503, 504]);

export function isThrottle(answer: WireAnswer): boolean {
  if (THROTTLE_STATUSES.has(answer.status)) return true;
  return answer.status === 400 && answer.body.includes('"__type":"ThrottlingException"');
}

/** The delay before retry `n` (0 for the first), as getDelaySeed and RetryRules compute it. */
export const throttleDelayMs = (n: number) => 2 ** n * (MIN_THROTTLE_DELAY_MS + Math.random() * MIN_THROTTLE_DELAY_MS);

/** Sends, and sends again after a throttle as the agent's SDK would; `retried` is told of each retry. */
export async function withThrottleRetries(
  send: () => Promise<WireAnswer>,
  retried: () => void = () => undefined,
): Promise<WireAnswer> {
  for (let n = 0; ; n++) {
    const answer = await send();
    if (n >= MAX_RETRIES || !isThrottle(answer)) return answer;
    retried();
    await new Promise((resolve) => setTimeout(resolve, throttleDelayMs(n)));
  }
}
