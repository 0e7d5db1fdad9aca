/**
 * Who sent a request: its SigV4 signature verified against the secret of its access key. Keys
 * are cached in the function's memory for CREDENTIAL_CACHE_TTL_MS so that verification costs no
 * DynamoDB round trip on a warm path; a disabled or deleted key stops working within that time.
 */
import { timingSafeEqual } from "node:crypto";
import type { SecretBox } from "../../auth/secret-box.ts";
import { hashSessionToken } from "../../auth/session-token.ts";
import {
  assertSignatureMatches,
  checkRequestDate,
  headerOf,
  parseAuthorization,
  type SignedRequest,
  signatureWith,
  signingKey,
  signingScope,
} from "../../auth/sigv4.ts";
import type { Principal } from "../../context.ts";
import { ExpiredTokenException, UnrecognizedClientException } from "../../errors.ts";
import type { AccessKeyRecord } from "./records.ts";
import type { CredentialStore } from "./store.ts";

/** How long a warm function trusts what it read about a key: one minute. */
export const CREDENTIAL_CACHE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 2_000;
/**
 * The most keys a function keeps: every node signs with its own key, so `npm start` serving a
 * fleet verifies about as many keys a minute as it has nodes (a warm Lambda function far fewer).
 * Past it the oldest read is forgotten first; forgetting them all at once (as this did up to
 * issue 30) made a fleet larger than the bound read a key on nearly every request.
 */
export const CREDENTIAL_CACHE_MAX_KEYS = 100_000;

/**
 * A key as read, with the signing keys derived from its secret (by `signingScope`: a day, region
 * and service) and the session token last found to match its hash (a node sends the same one on
 * every request until it rotates its credentials, so a warm path hashes it once). Both are pure
 * functions of the record, kept in the same entry, so they are dropped with it: never used after
 * the key is read again (disabled, deleted or replaced).
 */
type Known = AccessKeyRecord & { secret: string; signingKeys: Map<string, Buffer>; matchedToken?: Buffer };
type Cached = { key: Known | undefined; until: number };

const invalidToken = () => new UnrecognizedClientException("The security token included in the request is invalid.");

export class Authenticator {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: Pick<CredentialStore, "getAccessKey">,
    private readonly box: SecretBox,
    private readonly now: () => Date = () => new Date(),
    private readonly ttlMs: number = CREDENTIAL_CACHE_TTL_MS,
    private readonly maxKeys: number = CREDENTIAL_CACHE_MAX_KEYS,
  ) {}

  /** `service` is the SigV4 scope the operation requires: `ssm`, or `ec2messages` for the message channel. */
  async authenticate(request: SignedRequest, service = "ssm"): Promise<Principal> {
    const authorization = parseAuthorization(request.headers, service);
    const now = this.now();
    const amzDate = checkRequestDate(request, authorization, now);
    const key = await this.accessKey(authorization.accessKeyId, now.getTime());
    if (key?.Status !== "Active") throw invalidToken();
    const token = headerOf(request.headers, "x-amz-security-token");
    if (key.SessionTokenHash) {
      if (!token || !this.tokenMatches(key, token)) throw invalidToken();
      if (key.Expiration && new Date(key.Expiration) <= now) {
        throw new ExpiredTokenException("The security token included in the request is expired");
      }
    } else if (token) {
      throw invalidToken();
    }
    assertSignatureMatches(
      signatureWith(this.signingKeyOf(key, authorization), request, authorization, amzDate),
      authorization.signature,
    );
    return {
      accountId: key.AccountId,
      region: authorization.region,
      accessKeyId: key.AccessKeyId,
      ...(key.NodeId ? { nodeId: key.NodeId } : {}),
      ...(key.NodeRole ? { nodeRole: key.NodeRole } : {}),
    };
  }

  /** Whether `token` hashes to the key's session token hash; the last match is kept (Known). */
  private tokenMatches(key: Known, token: string): boolean {
    const sent = Buffer.from(token, "utf8");
    if (key.matchedToken && sameBytes(sent, key.matchedToken)) return true;
    if (!sameText(hashSessionToken(token), key.SessionTokenHash as string)) return false;
    key.matchedToken = sent;
    return true;
  }

  /** The key's signing key for the request's scope, derived once per scope (a client signs a day under one). */
  private signingKeyOf(key: Known, authorization: Parameters<typeof signingScope>[0]): Buffer {
    const scope = signingScope(authorization);
    let derived = key.signingKeys.get(scope);
    if (!derived) {
      derived = signingKey(key.secret, authorization);
      // A few scopes a key at most (days around midnight, regions): bounded all the same.
      if (key.signingKeys.size >= 16) key.signingKeys.clear();
      key.signingKeys.set(scope, derived);
    }
    return derived;
  }

  private async accessKey(accessKeyId: string, now: number): Promise<Cached["key"]> {
    const cached = this.cache.get(accessKeyId);
    if (cached && cached.until > now) return cached.key;
    const record = await this.store.getAccessKey(accessKeyId);
    const key = record
      ? { ...record, secret: this.box.open(record.SealedSecret), signingKeys: new Map<string, Buffer>() }
      : undefined;
    // Read again: its entry moves to the end (a Map keeps insertion order), so the first is the oldest read.
    this.cache.delete(accessKeyId);
    while (this.cache.size >= this.maxKeys) this.cache.delete(this.cache.keys().next().value as string);
    // An unknown key is remembered briefly only, so that a key just created works at once.
    this.cache.set(accessKeyId, { key, until: now + (key ? this.ttlMs : Math.min(this.ttlMs, NEGATIVE_TTL_MS)) });
    return key;
  }
}

/** Constant time in the bytes compared: a guess at a secret learns nothing from how long it took. */
function sameText(a: string, b: string): boolean {
  return sameBytes(Buffer.from(a), Buffer.from(b));
}

function sameBytes(x: Buffer, y: Buffer): boolean {
  return x.length === y.length && timingSafeEqual(x, y);
}
