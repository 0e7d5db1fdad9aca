/**
 * A map key named `__proto__` (RELIABILITY.md's Open list): validation keeps it as data
 * (prototype-free maps), but the DynamoDB marshaller builds maps with `map[key] =`, so the key
 * set a prototype instead: here, beside another key, the write was refused ("Supplied
 * AttributeValue is empty") and PutComplianceItems answered 500; and the answer's serializer
 * (shared/protocol/json-protocol.ts toWire) dropped such a key the same way. AWS keeps any key of
 * a map; so does this service now (shared/store/map-keys.ts escapes it in the stored item).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, invoke, invokeRaw } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0ccccccccccccccc7";

beforeAll(async () => {
  await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
});

/** The listed items' Details (the answer is parsed with JSON.parse: a `__proto__` key is an own key). */
async function listedDetails(): Promise<Record<string, string>> {
  const answer = await invoke("ListComplianceItems", {
    ResourceIds: [NODE],
    ResourceTypes: ["ManagedInstance"],
    Filters: [{ Key: "ComplianceType", Values: ["Custom:Proto"] }],
  });
  expect(answer.status).toBe(200);
  const items = answer.body.ComplianceItems as { Details: Record<string, string> }[];
  return items[0]?.Details ?? {};
}

describe("a compliance Details key named __proto__", () => {
  it("round-trips, beside keys that look like its escape", async () => {
    const body = `{"ResourceId":"${NODE}","ResourceType":"ManagedInstance","ComplianceType":"Custom:Proto","ExecutionSummary":{"ExecutionTime":1795600000},"Items":[{"Id":"a","Severity":"LOW","Status":"COMPLIANT","Details":{"__proto__":"kept","\\u001b__proto__":"escaped-looking","plain":"v"}}]}`;
    // Sent as text: a JSON object literal's `__proto__` would not be a key.
    expect((await invokeRaw("PutComplianceItems", body)).status).toBe(200);
    const details = await listedDetails();
    expect(Object.keys(details).sort()).toEqual(["\u001b__proto__", "__proto__", "plain"]);
    expect(Object.getOwnPropertyDescriptor(details, "__proto__")?.value).toBe("kept");
    expect(details["\u001b__proto__"]).toBe("escaped-looking");
    expect(details.plain).toBe("v");
  });
});
