/** DeleteParameter: removes the parameter, its versions and its slot; a missing name is ParameterNotFound. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;

beforeAll(async () => {
  table = await freshTable();
});

describe("DeleteParameter", () => {
  it("deletes every version and gives the slot back; the name can be created again from version 1", async () => {
    await call("PutParameter", { Name: "/gone", Value: "1", Type: "String", Tags: [{ Key: "k", Value: "v" }] });
    await call("PutParameter", { Name: "/gone", Value: "2", Overwrite: true });
    expect(await call("DeleteParameter", { Name: "/gone" })).toEqual({});
    const items = await table.items();
    expect(items.filter((item) => String(item.PK).includes("#/gone"))).toEqual([]);
    expect(items.find((item) => item.SK === "COUNTER#StandardParameters")?.Count).toBe(0);
    expect(await fails("GetParameter", { Name: "/gone" })).toMatchObject({ type: "ParameterNotFound" });
    expect(await call("PutParameter", { Name: "/gone", Value: "new", Type: "String" })).toEqual({
      Version: 1,
      Tier: "Standard",
    });
    expect((await call("GetParameterHistory", { Name: "/gone" })).Parameters).toHaveLength(1);
    expect((await call("ListTagsForResource", { ResourceType: "Parameter", ResourceId: "/gone" })).TagList).toEqual([]);
  });

  it("a missing parameter is ParameterNotFound", async () => {
    expect(await fails("DeleteParameter", { Name: "/never" })).toEqual({
      status: 400,
      type: "ParameterNotFound",
      message: undefined,
    });
  });
});
