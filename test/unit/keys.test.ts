import { describe, expect, it } from "vitest";
import { GSI1, keys } from "../../shared/store/keys.ts";

const scope = { accountId: "123456789012", region: "eu-west-1" };

describe("key builders", () => {
  it("put a document and all its items in one partition scoped by account and region", () => {
    const pk = "DOC#123456789012#eu-west-1#my-doc";
    expect(keys.document(scope, "my-doc")).toEqual({ PK: pk, SK: "DOCUMENT" });
    expect(keys.documentVersion(scope, "my-doc", 7)).toEqual({ PK: pk, SK: "VERSION#000007" });
    expect(keys.documentVersionName(scope, "my-doc", "Release-1")).toEqual({ PK: pk, SK: "VERSIONNAME#Release-1" });
    expect(keys.documentContentHash(scope, "my-doc", "ab12")).toEqual({ PK: pk, SK: "HASH#ab12" });
  });

  it("order version sort keys numerically", () => {
    const sks = [10, 9, 100, 1].map((v) => keys.documentVersion(scope, "d", v).SK).sort();
    expect(sks).toEqual(["VERSION#000001", "VERSION#000009", "VERSION#000010", "VERSION#000100"]);
  });

  it("keep version items apart from version-name items in a range query", () => {
    const low = keys.documentVersion(scope, "d", 1).SK;
    const high = keys.documentVersion(scope, "d", 999_999).SK;
    const named = keys.documentVersionName(scope, "d", "000005").SK;
    expect(named > high || named < low).toBe(true);
  });

  it("keep a document's shares in its partition, ranged below SHARE$, listed per grantee and region", () => {
    const pk = "DOC#123456789012#eu-west-1#my-doc";
    expect(keys.documentShare(scope, "my-doc", "444455556666")).toEqual({ PK: pk, SK: "SHARE#444455556666" });
    expect(keys.documentShare(scope, "my-doc", "all").SK < keys.documentSharesEnd()).toBe(true);
    expect(keys.documentShare(scope, "my-doc", "999999999999").SK < keys.documentSharesEnd()).toBe(true);
    // Versions, version names and hashes sort outside the share range.
    for (const other of [
      keys.documentVersion(scope, "my-doc", 1).SK,
      keys.documentVersionName(scope, "my-doc", "v").SK,
      keys.documentContentHash(scope, "my-doc", "ff").SK,
      keys.document(scope, "my-doc").SK,
    ]) {
      expect(other < keys.documentShare(scope, "my-doc", "").SK || other > keys.documentSharesEnd()).toBe(true);
    }
    expect(keys.documentShareListing(scope, "my-doc", "all")).toEqual({
      GSI1PK: "SHARED#all#eu-west-1",
      GSI1SK: "my-doc#123456789012",
    });
    expect(keys.documentSharesOfGrantee(scope, "all")).toBe("SHARED#all#eu-west-1");
    expect(keys.counter(scope, "PublicShares")).toEqual({
      PK: "ACCOUNT#123456789012#eu-west-1",
      SK: "COUNTER#PublicShares",
    });
  });

  it("list documents by account and region through GSI1", () => {
    expect(GSI1).toBe("GSI1");
    expect(keys.documentListing(scope, "my-doc")).toEqual({ GSI1PK: "DOCS#123456789012#eu-west-1", GSI1SK: "my-doc" });
    expect(keys.documentListingPartition(scope)).toBe("DOCS#123456789012#eu-west-1");
  });

  it("never share a partition across accounts or regions", () => {
    const other = [
      keys.document({ accountId: "000000000000", region: "eu-west-1" }, "my-doc").PK,
      keys.document({ accountId: "123456789012", region: "us-east-1" }, "my-doc").PK,
    ];
    expect(new Set([keys.document(scope, "my-doc").PK, ...other]).size).toBe(3);
    expect(keys.counter(scope, "Documents")).toEqual({ PK: "ACCOUNT#123456789012#eu-west-1", SK: "COUNTER#Documents" });
  });
});
