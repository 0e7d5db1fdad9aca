/**
 * LabelParameterVersion: AWS's label rules (InvalidLabels), 10 labels per version, a label moves
 * between versions, and the 100-version limit: the oldest version goes when the 101st is written
 * unless it carries a label (ParameterMaxVersionLimitExceeded, in the documented words).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
  await call("PutParameter", { Name: "/l", Value: "1", Type: "String" });
  await call("PutParameter", { Name: "/l", Value: "2", Overwrite: true });
});

const labelsOf = async (name: string) =>
  (await call("GetParameterHistory", { Name: name })).Parameters.map((p: { Labels: string[] }) => p.Labels);

describe("LabelParameterVersion", () => {
  it("labels the latest version by default; invalid labels come back in InvalidLabels", async () => {
    expect(
      await call("LabelParameterVersion", {
        Name: "/l",
        Labels: ["Prod", "1st", "awsLabel", "SSM", "bad label", "ok.v-1_x"],
      }),
    ).toEqual({ ParameterVersion: 2, InvalidLabels: ["1st", "awsLabel", "SSM", "bad label"] });
    expect(await labelsOf("/l")).toEqual([[], ["Prod", "ok.v-1_x"]]);
  });

  it("a label moves from one version to another", async () => {
    expect(await call("LabelParameterVersion", { Name: "/l", ParameterVersion: 1, Labels: ["Prod"] })).toEqual({
      ParameterVersion: 1,
      InvalidLabels: [],
    });
    expect(await labelsOf("/l")).toEqual([["Prod"], ["ok.v-1_x"]]);
    expect((await call("GetParameter", { Name: "/l:Prod" })).Parameter.Version).toBe(1);
  });

  it("at most 10 labels per version", async () => {
    // Version 2 has ok.v-1_x: with eight more it holds nine.
    const eight = Array.from({ length: 8 }, (_, i) => `L${i}`);
    await call("LabelParameterVersion", { Name: "/l", ParameterVersion: 2, Labels: eight });
    expect(
      await fails("LabelParameterVersion", { Name: "/l", ParameterVersion: 2, Labels: ["Eleventh", "Twelfth"] }),
    ).toEqual({
      status: 400,
      type: "ParameterVersionLabelLimitExceeded",
      message:
        "A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.",
    });
    // Relabelling a label already there is no new label.
    await call("LabelParameterVersion", { Name: "/l", ParameterVersion: 2, Labels: ["L0", "Tenth"] });
  });

  it("a missing parameter or version", async () => {
    expect((await fails("LabelParameterVersion", { Name: "/none", Labels: ["a"] })).type).toBe("ParameterNotFound");
    expect(await fails("LabelParameterVersion", { Name: "/l", ParameterVersion: 5, Labels: ["a"] })).toMatchObject({
      type: "ParameterVersionNotFound",
      message: "Systems Manager could not find version 5 of /l. Verify the version and try again.",
    });
  });
});

describe("PutParameter and LabelParameterVersion: the 100-version limit", () => {
  it("the 101st version drops the oldest; a labelled oldest version refuses it", async () => {
    await call("PutParameter", { Name: "/v", Value: "1", Type: "String" });
    await call("LabelParameterVersion", { Name: "/v", ParameterVersion: 1, Labels: ["pinned"] });
    for (let version = 2; version <= 100; version++) {
      await call("PutParameter", { Name: "/v", Value: String(version), Overwrite: true });
    }
    expect(await fails("PutParameter", { Name: "/v", Value: "101", Overwrite: true })).toEqual({
      status: 400,
      type: "ParameterMaxVersionLimitExceeded",
      message:
        "You attempted to create a new version of /v by calling the PutParameter API with the overwrite flag. Version 1, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.",
    });
    // Move the label away, and the 101st version replaces version 1.
    await call("LabelParameterVersion", { Name: "/v", ParameterVersion: 50, Labels: ["pinned"] });
    expect(await call("PutParameter", { Name: "/v", Value: "101", Overwrite: true })).toEqual({
      Version: 101,
      Tier: "Standard",
    });
    const history = [];
    let NextToken: string | undefined;
    do {
      const page = await call("GetParameterHistory", { Name: "/v", NextToken });
      history.push(...page.Parameters);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(history).toHaveLength(100);
    expect(history[0].Version).toBe(2);
    expect((await fails("GetParameter", { Name: "/v:1" })).type).toBe("ParameterVersionNotFound");
    expect((await call("GetParameter", { Name: "/v:pinned" })).Parameter.Value).toBe("50");
  });
});
