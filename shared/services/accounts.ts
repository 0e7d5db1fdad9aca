/** Accounts, access keys and the SigV4 authenticator: parts of the runtime (runtime.ts). */
import { Accounts } from "../domain/accounts/accounts.ts";
import { Authenticator } from "../domain/accounts/authenticator.ts";
import { DynamoCredentialStore } from "../store/credential-store.ts";
import type { Runtime } from "./runtime.ts";

export const credentialStore = (r: Runtime) => new DynamoCredentialStore(r.db, r.tableName);

/** Needs the sealing key, which may have to be loaded first. */
export const accounts = async (r: Runtime) => new Accounts(r.get(credentialStore), await r.box());

/** Every SigV4-signed request's: needs the sealing key (access keys' secrets are sealed). */
export const authenticator = async (r: Runtime) => new Authenticator(r.get(credentialStore), await r.box());
