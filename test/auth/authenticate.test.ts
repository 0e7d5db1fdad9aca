import { beforeAll, describe, expect, it } from "vitest";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import { Authenticator, CREDENTIAL_CACHE_TTL_MS } from "../../shared/domain/accounts/authenticator.ts";
import { InvalidSignatureException, UnrecognizedClientException } from "../../shared/errors.ts";
import { DynamoCredentialStore } from "../../shared/store/credential-store.ts";
import { commandContent } from "../support/fixtures.ts";
import { DEFAULT_IDENTITY, type Identity, signedHeaders } from "../support/identity.ts";
import { call, fails, invoke, invokeEvent, proxyEvent, signedEvent } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

const minutes = (n: number) => n * 60_000;

/** A ListDocuments request signed by `identity` at `at`, handed to `authenticator` as the adapter would. */
async function authenticateAt(authenticator: Authenticator, identity: Identity, at: number) {
  const event = await signedEvent("ListDocuments", "{}", { identity, signingDate: new Date(at) });
  const headers = event.headers as Record<string, string>;
  return authenticator.authenticate({
    method: "POST",
    path: "/",
    query: null,
    headers,
    body: Buffer.from("{}"),
    host: headers.host,
  });
}

describe("every request is verified before anything runs", () => {
  it("works with the default credentials", async () => {
    expect((await invoke("ListDocuments", {})).status).toBe(200);
  });

  it("refuses a request without an Authorization header", async () => {
    expect(await fails("ListDocuments", {}, { unsigned: true })).toEqual({
      status: 400,
      type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    });
  });

  it("refuses an unknown access key", async () => {
    const stranger: Identity = { accessKeyId: "AKIAUNKNOWNUNKNOWN00", secretAccessKey: "x" };
    expect(await fails("ListDocuments", {}, { identity: stranger })).toEqual({
      status: 400,
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
  });

  it("refuses a wrong secret", async () => {
    expect(await fails("ListDocuments", {}, { identity: { ...DEFAULT_IDENTITY, secretAccessKey: "wrong" } })).toEqual({
      status: 400,
      type: "InvalidSignatureException",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    });
  });

  it("refuses a tampered body and a tampered signed header, writing nothing", async () => {
    const before = await table.items();
    const body = JSON.stringify({ Name: "tamper", Content: commandContent() });
    const event = await signedEvent("CreateDocument", body);
    const tamperedBody = { ...event, body: body.replace("tamper", "tamped") };
    expect((await invokeEvent("CreateDocument", tamperedBody)).body.__type).toBe("InvalidSignatureException");
    const tamperedHeader = { ...event, headers: { ...event.headers, "content-type": "application/json" } };
    expect((await invokeEvent("CreateDocument", tamperedHeader)).body.__type).toBe("InvalidSignatureException");
    expect(await table.items()).toEqual(before);
  });

  it("refuses a credential scoped to another service", async () => {
    const body = "{}";
    const headers = await signedHeaders("ListDocuments", body, DEFAULT_IDENTITY, { service: "ec2" });
    expect((await invokeEvent("ListDocuments", proxyEvent("ListDocuments", body, headers))).body).toEqual({
      __type: "InvalidSignatureException",
      message: "Credential should be scoped to correct service: 'ssm'. ",
    });
  });

  it("refuses requests signed more than 15 minutes away from now, either way", async () => {
    const old = await fails("ListDocuments", {}, { signingDate: new Date(Date.now() - minutes(16)) });
    expect(old.type).toBe("InvalidSignatureException");
    expect(old.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const future = await fails("ListDocuments", {}, { signingDate: new Date(Date.now() + minutes(16)) });
    expect(future.message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z/);
    expect((await invoke("ListDocuments", {}, { signingDate: new Date(Date.now() - minutes(14)) })).status).toBe(200);
    expect((await invoke("ListDocuments", {}, { signingDate: new Date(Date.now() + minutes(14)) })).status).toBe(200);
  });

  it("accepts a replay inside the window, as AWS does", async () => {
    const event = await signedEvent("ListDocuments", "{}");
    expect((await invokeEvent("ListDocuments", event)).status).toBe(200);
    expect((await invokeEvent("ListDocuments", event)).status).toBe(200);
  });

  it("refuses a body over 1 MiB before reading it", async () => {
    const answer = await invoke("CreateDocument", { Name: "huge", Content: "x".repeat(1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body.__type).toBe("RequestEntityTooLargeException");
  });

  it("refuses a disabled or deleted key at once when it was not cached", async () => {
    const key = await table.accounts.createAccessKey("000000000000");
    const identity = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    await table.accounts.setAccessKeyStatus(key.AccessKeyId, "Inactive");
    expect((await fails("ListDocuments", {}, { identity })).type).toBe("UnrecognizedClientException");
    const other = await table.accounts.createAccessKey("000000000000");
    await table.accounts.deleteAccessKey(other.AccessKeyId);
    const otherIdentity = { accessKeyId: other.AccessKeyId, secretAccessKey: other.SecretAccessKey };
    expect((await fails("ListDocuments", {}, { identity: otherIdentity })).type).toBe("UnrecognizedClientException");
  });
});

describe("temporary credentials", () => {
  it("work with their session token, and only with it", async () => {
    const temporary = await table.accounts.createTemporaryCredentials("000000000000", 3600);
    const identity = {
      accessKeyId: temporary.AccessKeyId,
      secretAccessKey: temporary.SecretAccessKey,
      sessionToken: temporary.SessionToken,
    };
    expect(temporary.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect((await invoke("ListDocuments", {}, { identity })).status).toBe(200);
    const withoutToken = { ...identity, sessionToken: undefined };
    expect((await fails("ListDocuments", {}, { identity: withoutToken })).type).toBe("UnrecognizedClientException");
    const wrongToken = { ...identity, sessionToken: `${temporary.SessionToken}x` };
    expect((await fails("ListDocuments", {}, { identity: wrongToken })).type).toBe("UnrecognizedClientException");
  });

  it("answer ExpiredTokenException once expired", async () => {
    const temporary = await table.accounts.createTemporaryCredentials("000000000000", -1);
    const identity = {
      accessKeyId: temporary.AccessKeyId,
      secretAccessKey: temporary.SecretAccessKey,
      sessionToken: temporary.SessionToken,
    };
    expect(await fails("ListDocuments", {}, { identity })).toEqual({
      status: 400,
      type: "ExpiredTokenException",
      message: "The security token included in the request is expired",
    });
  });

  it("a session token on a long-term key is refused", async () => {
    expect((await fails("ListDocuments", {}, { identity: { ...DEFAULT_IDENTITY, sessionToken: "abc" } })).type).toBe(
      "UnrecognizedClientException",
    );
  });
});

describe("the credential cache", () => {
  it("saves the DynamoDB read on a warm path, and forgets a disabled key within its time to live", async () => {
    let now = Date.now();
    let reads = 0;
    const store = new DynamoCredentialStore(table.db, table.name);
    const counting = {
      getAccessKey: (id: string) => {
        reads++;
        return store.getAccessKey(id);
      },
    };
    const authenticator = new Authenticator(
      counting,
      SecretBox.fromBase64(table.credentialsKey),
      () => new Date(now),
      60_000,
    );
    const key = await table.accounts.createAccessKey("000000000000");
    const identity = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const verify = () => authenticateAt(authenticator, identity, now);
    expect((await verify()).accountId).toBe("000000000000");
    await verify();
    expect(reads).toBe(1);

    await table.accounts.setAccessKeyStatus(key.AccessKeyId, "Inactive");
    now += 30_000;
    await expect(verify()).resolves.toMatchObject({ accessKeyId: key.AccessKeyId });
    now += 31_000;
    await expect(verify()).rejects.toBeInstanceOf(UnrecognizedClientException);
    expect(reads).toBe(2);
  });
});

describe("the signing keys derived from a cached secret", () => {
  it("go with the cached key: a secret read again (replaced in place) is the only one accepted, in the same scope", async () => {
    let now = Date.now();
    const store = new DynamoCredentialStore(table.db, table.name);
    const first = await table.accounts.createAccessKey("000000000000");
    const second = await table.accounts.createAccessKey("000000000000");
    // After the switch, the store answers `first`'s id with `second`'s secret: a key whose
    // secret changed under the same id, as a rotation in place would store it.
    let replaced = false;
    const rotating = {
      getAccessKey: async (id: string) => {
        const record = await store.getAccessKey(id);
        if (!replaced || !record || id !== first.AccessKeyId) return record;
        return { ...record, SealedSecret: (await store.getAccessKey(second.AccessKeyId))?.SealedSecret ?? "" };
      },
    };
    const authenticator = new Authenticator(rotating, SecretBox.fromBase64(table.credentialsKey), () => new Date(now));
    const verify = (secretAccessKey: string) =>
      authenticateAt(authenticator, { accessKeyId: first.AccessKeyId, secretAccessKey }, now);
    // Twice under the old secret: the second request uses the signing key derived for the first.
    await expect(verify(first.SecretAccessKey)).resolves.toMatchObject({ accessKeyId: first.AccessKeyId });
    await expect(verify(first.SecretAccessKey)).resolves.toMatchObject({ accessKeyId: first.AccessKeyId });
    await expect(verify(second.SecretAccessKey)).rejects.toBeInstanceOf(InvalidSignatureException);
    replaced = true;
    now += CREDENTIAL_CACHE_TTL_MS + 1;
    await expect(verify(first.SecretAccessKey)).rejects.toBeInstanceOf(InvalidSignatureException);
    await expect(verify(second.SecretAccessKey)).resolves.toMatchObject({ accessKeyId: first.AccessKeyId });
  });
});

describe("the session token last matched, kept with a cached key", () => {
  it("spares the hash on a warm path only for that token: another is refused, and a key read again checks its own hash", async () => {
    let now = Date.now();
    const store = new DynamoCredentialStore(table.db, table.name);
    const first = await table.accounts.createTemporaryCredentials("000000000000", 3600);
    const second = await table.accounts.createTemporaryCredentials("000000000000", 3600);
    // After the switch, the store answers `first`'s id with `second`'s token hash: credentials
    // whose session token changed under the same key id.
    let replaced = false;
    const rotating = {
      getAccessKey: async (id: string) => {
        const record = await store.getAccessKey(id);
        if (!replaced || !record || id !== first.AccessKeyId) return record;
        return { ...record, SessionTokenHash: (await store.getAccessKey(second.AccessKeyId))?.SessionTokenHash };
      },
    };
    const authenticator = new Authenticator(rotating, SecretBox.fromBase64(table.credentialsKey), () => new Date(now));
    const verify = (sessionToken: string) =>
      authenticateAt(
        authenticator,
        { accessKeyId: first.AccessKeyId, secretAccessKey: first.SecretAccessKey, sessionToken },
        now,
      );
    const accepted = { accessKeyId: first.AccessKeyId };
    await expect(verify(first.SessionToken)).resolves.toMatchObject(accepted);
    await expect(verify(first.SessionToken)).resolves.toMatchObject(accepted);
    // Of the same length, one character changed: compared with the kept token, then hashed.
    const forged = `${first.SessionToken.slice(0, -1)}${first.SessionToken.endsWith("A") ? "B" : "A"}`;
    await expect(verify(forged)).rejects.toBeInstanceOf(UnrecognizedClientException);
    await expect(verify(second.SessionToken)).rejects.toBeInstanceOf(UnrecognizedClientException);
    await expect(verify(first.SessionToken)).resolves.toMatchObject(accepted);
    replaced = true;
    now += CREDENTIAL_CACHE_TTL_MS + 1;
    await expect(verify(first.SessionToken)).rejects.toBeInstanceOf(UnrecognizedClientException);
    await expect(verify(second.SessionToken)).resolves.toMatchObject(accepted);
  });
});

describe("secrets at rest", () => {
  it("are sealed in the table, never stored or listed in the clear", async () => {
    const key = await table.accounts.createAccessKey("000000000000");
    const stored = (await table.items()).find((item) => item.AccessKeyId === key.AccessKeyId);
    expect(stored?.SealedSecret).toMatch(/^v1:/);
    expect(JSON.stringify(await table.items())).not.toContain(key.SecretAccessKey);
    expect(JSON.stringify(await table.accounts.listAccessKeys("000000000000"))).not.toContain(key.SecretAccessKey);
    expect(JSON.stringify(await table.accounts.listAccessKeys("000000000000"))).not.toContain("SealedSecret");
  });

  it("keep working documents answering after a new key is created", async () => {
    await call("CreateDocument", { Name: "after-keys", Content: commandContent() });
  });
});

describe("the credential cache's bound (a fleet: a key per node)", () => {
  it("past its most keys forgets the oldest read only: the others are still verified without a read", async () => {
    const now = Date.now();
    const read: string[] = [];
    const store = new DynamoCredentialStore(table.db, table.name);
    const counting = {
      getAccessKey: (id: string) => {
        read.push(id);
        return store.getAccessKey(id);
      },
    };
    const authenticator = new Authenticator(
      counting,
      SecretBox.fromBase64(table.credentialsKey),
      () => new Date(now),
      60_000,
      3,
    );
    const keys = await Promise.all(Array.from({ length: 4 }, () => table.accounts.createAccessKey("000000000000")));
    const verify = (k: number) => {
      const key = keys[k] as (typeof keys)[number];
      return authenticateAt(authenticator, { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, now);
    };
    for (const k of [0, 1, 2, 3]) await verify(k);
    expect(read).toHaveLength(4);
    // Key 0 was the oldest read and is forgotten; 1, 2 and 3 are verified from memory.
    for (const k of [1, 2, 3]) await verify(k);
    expect(read).toHaveLength(4);
    await verify(0);
    expect(read.at(-1)).toBe(keys[0]?.AccessKeyId);
    expect(read).toHaveLength(5);
  });
});
