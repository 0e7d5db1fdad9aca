/**
 * Session tokens of temporary credentials are stored only as this hash: issuing them
 * (shared/domain/accounts) and verifying them (shared/domain/accounts/authenticator.ts) agree here.
 */
import { createHash } from "node:crypto";

export const hashSessionToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");
