/**
 * What the Lambda bundles get in place of `@aws-sdk/credential-provider-node` (see bundle.ts):
 * the clients' default credential chain is only its environment link. Lambda always puts the
 * function role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, so
 * the other links (SSO, INI files, process, web identity, the container and instance metadata
 * services, and the STS / sign-in clients they build) are never reached there, yet cost about a
 * fifth of every bundle and its cold-start evaluation. Local runs (`npm start`, tests) use the
 * source, not the bundles, and keep the full chain.
 */
import { fromEnv } from "@aws-sdk/credential-provider-env";

/** Same signature as credential-provider-node's `defaultProvider`: init options in, a provider out. */
export const defaultProvider = fromEnv;
