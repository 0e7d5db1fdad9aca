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

  it("keep runs in the association's partition, newest last in key order, and their targets apart", () => {
    const older = keys.execution(scope, "a1", "01a214d7-1c10-71ea-9f35-419dab52c5e2");
    const newer = keys.execution(scope, "a1", "01a214d7-1c11-7000-8000-000000000000");
    expect(older.PK).toBe(keys.association(scope, "a1").PK);
    expect(older.SK < newer.SK).toBe(true);
    expect(keys.executionTarget(scope, "e1", "mi-0123456789abcdef0")).toEqual({
      PK: "EXEC#123456789012#eu-west-1#e1",
      SK: "TARGET#mi-0123456789abcdef0",
    });
    // No other item of the association's partition falls within the runs' key range.
    for (const sk of ["ASSOCIATION", "VERSION#000001", "TARGET#i-0123456789abcdef0"]) {
      expect(sk < keys.executionSortKey("") || sk > keys.executionSortKey("~")).toBe(true);
    }
  });

  it("index due associations by next-run time in sharded GSI2 partitions, scope recoverable", () => {
    const entry = keys.scheduleEntry(scope, "a1", "2027-01-31T00:00:00.000Z");
    expect(keys.schedulePartitions()).toContain(entry.GSI2PK);
    expect(entry.GSI2SK <= keys.scheduleDueBound("2027-01-31T00:00:00.000Z")).toBe(true);
    expect(entry.GSI2SK <= keys.scheduleDueBound("2027-01-30T23:59:59.999Z")).toBe(false);
    expect(keys.scheduleEntryOf(entry.GSI2SK)).toEqual({ scope, associationId: "a1" });
  });

  it("keep a node's inventory heads apart from their parts, parts in order, and list heads per type", () => {
    const head = keys.inventoryType(scope, "mi-0123456789abcdef0", "AWS:Application");
    expect(head).toEqual({ PK: "INVENTORY#123456789012#eu-west-1#mi-0123456789abcdef0", SK: "TYPE#AWS:Application" });
    expect(head.SK.startsWith(keys.inventoryTypePrefix())).toBe(true);
    const parts = [10, 2, 1].map((n) => keys.inventoryPart(scope, "mi-0123456789abcdef0", "AWS:Application", n).SK);
    expect(parts.sort()).toEqual([
      "PART#AWS:Application#0001",
      "PART#AWS:Application#0002",
      "PART#AWS:Application#0010",
    ]);
    expect(parts.every((sk) => !sk.startsWith(keys.inventoryTypePrefix()))).toBe(true);
    expect(keys.inventoryTypeListing(scope, "AWS:Application", "mi-0123456789abcdef0")).toEqual({
      GSI1PK: "INVTYPE#123456789012#eu-west-1#AWS:Application",
      GSI1SK: "mi-0123456789abcdef0",
    });
    expect(keys.customInventoryType(scope, "Custom:Rack")).toEqual({
      PK: "INVSCHEMA#123456789012#eu-west-1",
      SK: "TYPE#Custom:Rack",
    });
  });

  it("keep a parameter's head and versions in one partition, listed by name through GSI1", () => {
    const pk = "PARAM#123456789012#eu-west-1#/app/db/host";
    expect(keys.parameter(scope, "/app/db/host")).toEqual({ PK: pk, SK: "PARAMETER" });
    expect(keys.parameterPartition(scope, "/app/db/host")).toBe(pk);
    expect(keys.parameterVersion(scope, "/app/db/host", 12)).toEqual({ PK: pk, SK: "VERSION#000012" });
    expect(keys.parameterListing(scope, "/app/db/host")).toEqual({
      GSI1PK: "PARAMS#123456789012#eu-west-1",
      GSI1SK: "/app/db/host",
    });
    expect(keys.parameterListingPartition(scope)).toBe("PARAMS#123456789012#eu-west-1");
    // A document and a parameter of the same name never share a partition.
    expect(keys.parameter(scope, "my-doc").PK).not.toBe(keys.document(scope, "my-doc").PK);
    expect(keys.counter(scope, "StandardParameters")).toEqual({
      PK: "ACCOUNT#123456789012#eu-west-1",
      SK: "COUNTER#StandardParameters",
    });
    expect(keys.counter(scope, "AdvancedParameters").SK).toBe("COUNTER#AdvancedParameters");
  });

  it("keep an account's audit trail in a partition per day, in time order, and every account's by day through GSI1", () => {
    const time = "2026-12-07T20:15:03.123Z";
    expect(keys.auditEvent("123456789012", time, "req-1")).toEqual({
      PK: "AUDIT#123456789012#2026-12-07",
      SK: "2026-12-07T20:15:03.123Z#req-1",
    });
    expect(keys.auditEventListing("123456789012", time, "req-1")).toEqual({
      GSI1PK: "AUDIT#2026-12-07",
      GSI1SK: "2026-12-07T20:15:03.123Z#123456789012#req-1",
    });
    expect(keys.auditRoutineCalls("123456789012", time, "x")).toEqual({
      PK: "AUDIT#123456789012#2026-12-07",
      SK: "2026-12-07T20:15:03.123Z#routine#x",
    });
    expect(keys.auditRoutineCallsListing("123456789012", time, "x").GSI1PK).toBe("AUDIT#2026-12-07");
    expect(keys.auditPartition("123456789012", "2026-12-07")).toBe("AUDIT#123456789012#2026-12-07");
    expect(keys.auditListingPartition("2026-12-07")).toBe("AUDIT#2026-12-07");
    // Never an account's other items: accounts are ACCOUNT#, audit partitions AUDIT#.
    expect(keys.auditPartition("123456789012", "2026-12-07")).not.toBe(keys.account("123456789012").PK);
  });

  it("index an association under each lookup key in the key's own partition, a long key by its hash", () => {
    expect(keys.associationLookup(scope, "tag:env=prod", "a1")).toEqual({
      PK: "ALOOKUP#123456789012#eu-west-1#tag:env=prod",
      SK: "a1",
    });
    expect(keys.associationLookupPartition(scope, "*")).toBe("ALOOKUP#123456789012#eu-west-1#*");
    const long = `tag-key=${"k".repeat(2000)}`;
    const hashed = keys.associationLookupPartition(scope, long);
    expect(hashed).toMatch(/^ALOOKUP#123456789012#eu-west-1#sha256:[0-9a-f]{64}$/);
    expect(keys.associationLookupPartition(scope, `${long}x`)).not.toBe(hashed);
  });

  it("index a node's tag in its key's partition, listed by key and value on GSI1, long ones by their hash", () => {
    expect(keys.nodeTag(scope, "env", "mi-0123456789abcdef0")).toEqual({
      PK: "NODETAG#123456789012#eu-west-1#env",
      SK: "mi-0123456789abcdef0",
    });
    expect(keys.nodeTagListing(scope, "env", "prod", "mi-0123456789abcdef0")).toEqual({
      GSI1PK: "NODETAGVALUE#123456789012#eu-west-1#env=prod",
      GSI1SK: "mi-0123456789abcdef0",
    });
    expect(keys.nodeTagPartition(scope, "env")).toBe("NODETAG#123456789012#eu-west-1#env");
    expect(keys.nodeTagValuePartition(scope, "env", "prod")).toBe("NODETAGVALUE#123456789012#eu-west-1#env=prod");
    const hashed = keys.nodeTagValuePartition(scope, "env", "v".repeat(600));
    expect(hashed).toMatch(/^NODETAGVALUE#123456789012#eu-west-1#sha256:[0-9a-f]{64}$/);
    expect(keys.nodeTagValuePartition(scope, "env", "v".repeat(601))).not.toBe(hashed);
    expect(keys.nodeTagPartition(scope, "k".repeat(600))).toMatch(/^NODETAG#123456789012#eu-west-1#sha256:/);
    expect(keys.nodeScopeOf(keys.node(scope, "mi-0123456789abcdef0").PK)).toEqual(scope);
  });

  it("keep a command and all it owns in one partition: invocations in INV#, outputs apart in OUT#", () => {
    const pk = "CMD#123456789012#eu-west-1#c1";
    expect(keys.command(scope, "c1")).toEqual({ PK: pk, SK: "COMMAND" });
    expect(keys.commandListing(scope, "c1")).toEqual({ GSI1PK: "CMDS#123456789012#eu-west-1", GSI1SK: "c1" });
    expect(keys.commandPayload(scope, "c1")).toEqual({ PK: pk, SK: "PAYLOAD" });
    expect(keys.commandCountBase(scope, "c1")).toEqual({ PK: pk, SK: "COUNT#base" });
    expect(keys.commandCountShard(scope, "c1", 3)).toEqual({ PK: pk, SK: "COUNT#03" });
    expect(keys.commandGate(scope, "c1", 0)).toEqual({ PK: pk, SK: "GATE#00" });
    expect(keys.invocation(scope, "c1", "mi-1")).toEqual({ PK: pk, SK: "INV#mi-1" });
    expect(keys.nodeCommandListing(scope, "mi-1", "c1")).toEqual({
      GSI1PK: "NODECMDS#123456789012#eu-west-1#mi-1",
      GSI1SK: "c1",
    });
    expect(keys.invocationOutput(scope, "c1", "mi-1", "aws:runShellScript")).toEqual({
      PK: pk,
      SK: "OUT#mi-1#aws:runShellScript",
    });
    // Outputs sort outside the invocations' range, so listing invocations reads none of them.
    const output = keys.invocationOutput(scope, "c1", "mi-1", "step").SK;
    expect(output.startsWith(keys.invocationPrefix())).toBe(false);
    // One node's outputs are not a prefix range of another's (mi-1 vs mi-10).
    expect(keys.invocationOutput(scope, "c1", "mi-10", "s").SK.startsWith(keys.invocationOutputPrefix("mi-1"))).toBe(
      false,
    );
    const due = keys.commandDueEntry(scope, "c1", "2026-01-01T00:00:00.000Z");
    expect(due.GSI2PK).toMatch(/^COMMANDDUE#[0-3]$/);
    expect(keys.commandDueEntryOf(due.GSI2SK)).toEqual({ scope, commandId: "c1" });
  });

  it("give each node its own message queue partition, keyed by message id", () => {
    expect(keys.queuedMessage(scope, "mi-1", "aws.ssm.c1.mi-1")).toEqual({
      PK: "MSGQ#123456789012#eu-west-1#mi-1",
      SK: "aws.ssm.c1.mi-1",
    });
    expect(keys.messageQueuePartition(scope, "mi-1")).toBe("MSGQ#123456789012#eu-west-1#mi-1");
  });
});
