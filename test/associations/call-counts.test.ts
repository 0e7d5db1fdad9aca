/**
 * The DynamoDB calls each association operation makes: the minimum its semantics need.
 *
 * | operation                          | calls | what                                                     |
 * |------------------------------------|-------|----------------------------------------------------------|
 * | CreateAssociation (own document)   | 4     | document head, document version, the named nodes (one    |
 * |                                    |       | BatchGetItem), one transaction                           |
 * | CreateAssociation (AWS document,   | 2     | the named nodes, one transaction (AWS documents are      |
 * |   InstanceIds target)              |       | built in)                                                |
 * | CreateAssociation (tag targets,    | 1     | one transaction: tag targets are resolved when they run  |
 * |   AWS document)                    |       |                                                          |
 * | DescribeAssociation (by id)        | 1     | the association head                                     |
 * | DescribeAssociation (name+node)    | 2     | the legacy pair, then the head                           |
 * | UpdateAssociation (own document)   | 4     | head, document head, document version, one transaction   |
 * | DeleteAssociation (by id)          | 2     | head, one transaction that also deletes every version    |
 * |                                    |       | (past ~95 versions: + a query and batch deletes)         |
 * | ListAssociations (one page)        | 1     | one GSI query                                            |
 *
 * Every request also authenticates, which costs one read per access key per cold cache (not
 * counted here: the key is cached by the first call).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../shared/store/dynamodb.ts";
import { commandContent } from "../support/fixtures.ts";
import { call } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const calls: string[] = [];

beforeAll(async () => {
  await freshTable();
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "countCalls" },
  );
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "counted", Content: commandContent() });
});

async function counted<T>(action: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
  await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
  calls.length = 0;
  const result = await action();
  return { result, commands: [...calls] };
}

describe("DynamoDB calls per association operation", () => {
  it("CreateAssociation", async () => {
    const own = await counted(() =>
      call("CreateAssociation", { Name: "counted", Targets: [{ Key: "InstanceIds", Values: [NODE] }] }),
    );
    expect(own.commands).toEqual([
      "GetItemCommand",
      "GetItemCommand",
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
    ]);
    const aws = await counted(() => call("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE }));
    expect(aws.commands).toEqual(["BatchGetItemCommand", "TransactWriteItemsCommand"]);
    const tags = await counted(() =>
      call("CreateAssociation", { Name: "AWS-GatherSoftwareInventory", Targets: [{ Key: "tag:a", Values: ["b"] }] }),
    );
    expect(tags.commands).toEqual(["TransactWriteItemsCommand"]);
  });

  it("DescribeAssociation, UpdateAssociation, ListAssociations, DeleteAssociation", async () => {
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "counted",
      Targets: [{ Key: "tag:a", Values: ["b"] }],
    });
    expect((await counted(() => call("DescribeAssociation", { AssociationId: a.AssociationId }))).commands).toEqual([
      "GetItemCommand",
    ]);
    expect(
      (await counted(() => call("DescribeAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE }))).commands,
    ).toEqual(["GetItemCommand", "GetItemCommand"]);
    expect(
      (
        await counted(() =>
          call("UpdateAssociation", { AssociationId: a.AssociationId, Targets: [{ Key: "tag:a", Values: ["c"] }] }),
        )
      ).commands,
    ).toEqual(["GetItemCommand", "GetItemCommand", "GetItemCommand", "TransactWriteItemsCommand"]);
    expect((await counted(() => call("ListAssociations", { MaxResults: 50 }))).commands).toEqual(["QueryCommand"]);
    expect((await counted(() => call("DeleteAssociation", { AssociationId: a.AssociationId }))).commands).toEqual([
      "GetItemCommand",
      "TransactWriteItemsCommand",
    ]);
  });
});
