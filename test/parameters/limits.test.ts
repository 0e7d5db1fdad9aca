/**
 * The standard-parameter limit per account and Region (AWS's 10,000; the runtime's
 * parameterLimit lowers it here, as associationLimit does for associations): a conditional counter in the creating
 * transaction, so a race of creates never goes over it, and a delete gives the slot back.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { STANDARD_PARAMETER_LIMIT, VERSION_LIMIT } from "../../shared/domain/parameters/parameters.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const LIMIT = 10;
let table: TestTable;

beforeAll(async () => {
  table = await freshTable({ parameterLimit: LIMIT });
});

async function stored() {
  const items = await table.items();
  return {
    heads: items.filter((item) => item.Type === "Parameter" && item.Tier === "Standard"),
    counter: (items.find((item) => item.SK === "COUNTER#StandardParameters")?.Count as number | undefined) ?? 0,
  };
}

describe("PutParameter and DeleteParameter: the standard-parameter limit", () => {
  it("AWS's quotas are the defaults", () => {
    expect(STANDARD_PARAMETER_LIMIT).toBe(10_000);
    expect(VERSION_LIMIT).toBe(100);
  });

  it("30 creates racing for 10 slots: exactly 10 succeed, the rest are ParameterLimitExceeded", async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => invoke("PutParameter", { Name: `/race/p${i}`, Value: "v", Type: "String" })),
    );
    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok).toHaveLength(LIMIT);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer.body).toEqual({
        __type: "ParameterLimitExceeded",
        message:
          "You have exceeded the number of parameters for this AWS account. Delete one or more parameters and try again.",
      });
    }
    const state = await stored();
    expect(state.heads).toHaveLength(LIMIT);
    expect(state.counter).toBe(LIMIT);
  });

  it("overwrites and advanced parameters don't take standard slots; a delete gives one back", async () => {
    const [first] = (await stored()).heads;
    await call("PutParameter", { Name: first?.Name, Value: "w", Overwrite: true });
    await call("PutParameter", { Name: "/adv", Value: "v", Type: "String", Tier: "Advanced" });
    expect((await fails("PutParameter", { Name: "/one-more", Value: "v", Type: "String" })).type).toBe(
      "ParameterLimitExceeded",
    );
    await call("DeleteParameter", { Name: first?.Name });
    await call("PutParameter", { Name: "/one-more", Value: "v", Type: "String" });
    expect((await stored()).counter).toBe(LIMIT);
  });

  it("creates and deletes racing leave the counter equal to what is stored", async () => {
    const { heads } = await stored();
    await Promise.all([
      ...heads.slice(0, 5).map((head) => invoke("DeleteParameter", { Name: head.Name })),
      ...Array.from({ length: 10 }, (_, i) =>
        invoke("PutParameter", { Name: `/again/p${i}`, Value: "v", Type: "String" }),
      ),
    ]);
    const state = await stored();
    expect(state.heads.length).toBeLessThanOrEqual(LIMIT);
    expect(state.counter).toBe(state.heads.length);
  });
});
