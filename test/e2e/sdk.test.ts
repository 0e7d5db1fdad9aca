/**
 * End to end through the real AWS SDK for JavaScript v3: the local HTTP server in-process, the
 * handlers behind it, and DynamoDB Local. What the SDK deserializes (typed exceptions, dates,
 * request ids, pagination) is what real clients will see.
 */
import {
  AddTagsToResourceCommand,
  CreateDocumentCommand,
  DeleteDocumentCommand,
  DescribeDocumentCommand,
  DocumentAlreadyExists,
  DuplicateDocumentContent,
  GetDocumentCommand,
  InvalidDocument,
  InvalidDocumentContent,
  InvalidDocumentVersion,
  InvalidNextToken,
  InvalidResourceId,
  ListDocumentsCommand,
  ListDocumentVersionsCommand,
  ListTagsForResourceCommand,
  paginateListDocuments,
  RemoveTagsFromResourceCommand,
  type SSMClient,
  SSMServiceException,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { postTo, sdkClient, useLocalEndpoint } from "../support/endpoint.ts";
import { AWS_OWNED_REQUIRED, commandContent, yamlCommandContent } from "../support/fixtures.ts";

const server = useLocalEndpoint();
let ssm: SSMClient;

beforeAll(() => {
  ssm = sdkClient(server.url, { maxAttempts: 1 });
});

afterAll(() => {
  ssm?.destroy();
});

/** Runs `action`, requires it to throw, and returns what it threw. */
async function thrown(action: () => Promise<unknown>): Promise<SSMServiceException> {
  try {
    await action();
  } catch (error) {
    return error as SSMServiceException;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

describe("documents through the SDK", () => {
  it("creates a JSON document and returns a typed description with a request id", async () => {
    const before = Date.now();
    const result = await ssm.send(
      new CreateDocumentCommand({
        Name: "sdk-json",
        Content: commandContent("json"),
        DocumentType: "Command",
        VersionName: "v-one",
        Tags: [{ Key: "team", Value: "platform" }],
      }),
    );
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const d = result.DocumentDescription;
    expect(d).toMatchObject({
      Name: "sdk-json",
      Owner: "000000000000",
      Status: "Creating",
      DocumentVersion: "1",
      LatestVersion: "1",
      DefaultVersion: "1",
      VersionName: "v-one",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      SchemaVersion: "2.2",
      Description: "Says json",
      HashType: "Sha256",
      PlatformTypes: ["Linux", "MacOS"],
      Parameters: [{ Name: "message", Type: "String", Description: "What to say", DefaultValue: "json" }],
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(d?.Hash).toMatch(/^[0-9a-f]{64}$/);
    // The SDK turns the wire's epoch seconds into a Date.
    expect(d?.CreatedDate).toBeInstanceOf(Date);
    expect(d?.CreatedDate?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(d?.CreatedDate?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("creates a YAML document", async () => {
    const { DocumentDescription: d } = await ssm.send(
      new CreateDocumentCommand({ Name: "sdk-yaml", Content: yamlCommandContent, DocumentFormat: "YAML" }),
    );
    expect(d).toMatchObject({
      Name: "sdk-yaml",
      DocumentFormat: "YAML",
      DocumentType: "Command",
      PlatformTypes: ["Windows", "Linux"],
      Parameters: [{ Name: "count", Type: "Integer", DefaultValue: "3" }],
    });
  });

  it("gets a document as stored, and converted between JSON and YAML", async () => {
    const asStored = await ssm.send(new GetDocumentCommand({ Name: "sdk-json" }));
    expect(asStored).toMatchObject({
      Name: "sdk-json",
      DocumentVersion: "1",
      VersionName: "v-one",
      Status: "Active",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      Content: commandContent("json"),
    });
    expect(asStored.CreatedDate).toBeInstanceOf(Date);

    const asYaml = await ssm.send(new GetDocumentCommand({ Name: "sdk-json", DocumentFormat: "YAML" }));
    expect(asYaml.DocumentFormat).toBe("YAML");
    expect(asYaml.Content?.trimStart().startsWith("{")).toBe(false);
    expect(parseYaml(asYaml.Content as string)).toEqual(JSON.parse(commandContent("json")));

    const asJson = await ssm.send(new GetDocumentCommand({ Name: "sdk-yaml", DocumentFormat: "JSON" }));
    expect(asJson.DocumentFormat).toBe("JSON");
    expect(JSON.parse(asJson.Content as string)).toEqual(parseYaml(yamlCommandContent));

    const yamlAsStored = await ssm.send(new GetDocumentCommand({ Name: "sdk-yaml" }));
    expect(yamlAsStored).toMatchObject({ DocumentFormat: "YAML", Content: yamlCommandContent });
  });

  it("updates to a new latest version while the default stays 1", async () => {
    const { DocumentDescription: d } = await ssm.send(
      new UpdateDocumentCommand({
        Name: "sdk-json",
        Content: commandContent("two"),
        DocumentVersion: "$LATEST",
        VersionName: "v-two",
      }),
    );
    expect(d).toMatchObject({
      Name: "sdk-json",
      Status: "Updating",
      DocumentVersion: "2",
      LatestVersion: "2",
      DefaultVersion: "1",
      VersionName: "v-two",
      Description: "Says two",
    });
  });

  it("describes $LATEST, a version by number, a version by name, and the default", async () => {
    const latest = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-json", DocumentVersion: "$LATEST" }));
    expect(latest.$metadata.requestId).toBeTruthy();
    expect(latest.Document).toMatchObject({
      DocumentVersion: "2",
      VersionName: "v-two",
      Description: "Says two",
      LatestVersion: "2",
      DefaultVersion: "1",
      Status: "Active",
    });

    const byNumber = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-json", DocumentVersion: "1" }));
    expect(byNumber.Document).toMatchObject({ DocumentVersion: "1", VersionName: "v-one", Description: "Says json" });

    const byName = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-json", VersionName: "v-two" }));
    expect(byName.Document).toMatchObject({ DocumentVersion: "2", Description: "Says two" });

    const byDefault = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-json" }));
    expect(byDefault.Document).toMatchObject({ DocumentVersion: "1", Tags: [{ Key: "team", Value: "platform" }] });
    expect(byDefault.Document?.Hash).not.toBe(latest.Document?.Hash);
  });

  it("lists document versions, newest default flagged", async () => {
    const { DocumentVersions } = await ssm.send(new ListDocumentVersionsCommand({ Name: "sdk-json" }));
    expect(DocumentVersions?.map((v) => [v.DocumentVersion, v.VersionName, v.IsDefaultVersion])).toEqual(
      expect.arrayContaining([
        ["1", "v-one", true],
        ["2", "v-two", false],
      ]),
    );
    expect(DocumentVersions).toHaveLength(2);
    for (const version of DocumentVersions ?? []) {
      expect(version).toMatchObject({ Name: "sdk-json", DocumentFormat: "JSON", Status: "Active" });
      expect(version.CreatedDate).toBeInstanceOf(Date);
    }
  });

  it("moves the default version", async () => {
    const result = await ssm.send(new UpdateDocumentDefaultVersionCommand({ Name: "sdk-json", DocumentVersion: "2" }));
    expect(result.Description).toEqual({ Name: "sdk-json", DefaultVersion: "2", DefaultVersionName: "v-two" });

    const described = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-json" }));
    expect(described.Document).toMatchObject({ DocumentVersion: "2", DefaultVersion: "2", LatestVersion: "2" });

    const { DocumentVersions } = await ssm.send(new ListDocumentVersionsCommand({ Name: "sdk-json" }));
    expect(DocumentVersions?.filter((v) => v.IsDefaultVersion).map((v) => v.DocumentVersion)).toEqual(["2"]);

    // Back to 1, so version 2 can be deleted later.
    const back = await ssm.send(new UpdateDocumentDefaultVersionCommand({ Name: "sdk-json", DocumentVersion: "1" }));
    expect(back.Description?.DefaultVersion).toBe("1");
  });

  it("tags, lists and untags a document", async () => {
    const added = await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: "Document",
        ResourceId: "sdk-yaml",
        Tags: [
          { Key: "env", Value: "dev" },
          { Key: "owner", Value: "me" },
        ],
      }),
    );
    expect(added.$metadata.httpStatusCode).toBe(200);

    const listed = await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Document", ResourceId: "sdk-yaml" }));
    expect(listed.TagList).toEqual(
      expect.arrayContaining([
        { Key: "env", Value: "dev" },
        { Key: "owner", Value: "me" },
      ]),
    );
    expect(listed.TagList).toHaveLength(2);

    await ssm.send(
      new RemoveTagsFromResourceCommand({ ResourceType: "Document", ResourceId: "sdk-yaml", TagKeys: ["env"] }),
    );
    const after = await ssm.send(new ListTagsForResourceCommand({ ResourceType: "Document", ResourceId: "sdk-yaml" }));
    expect(after.TagList).toEqual([{ Key: "owner", Value: "me" }]);

    const described = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-yaml" }));
    expect(described.Document?.Tags).toEqual([{ Key: "owner", Value: "me" }]);
  });

  it("deletes one version, then the whole document", async () => {
    await ssm.send(new DeleteDocumentCommand({ Name: "sdk-json", DocumentVersion: "2" }));
    const { DocumentVersions } = await ssm.send(new ListDocumentVersionsCommand({ Name: "sdk-json" }));
    expect(DocumentVersions?.map((v) => v.DocumentVersion)).toEqual(["1"]);
    const described = await ssm.send(new DescribeDocumentCommand({ Name: "sdk-json" }));
    expect(described.Document).toMatchObject({ LatestVersion: "1", DefaultVersion: "1" });

    const deleted = await ssm.send(new DeleteDocumentCommand({ Name: "sdk-json" }));
    expect(deleted.$metadata.httpStatusCode).toBe(200);
    const error = await thrown(() => ssm.send(new DescribeDocumentCommand({ Name: "sdk-json" })));
    expect(error).toBeInstanceOf(InvalidDocument);
  });
});

describe("ListDocuments through the SDK paginator", () => {
  const names = ["page-a", "page-b", "page-c", "page-d", "page-e"];

  beforeAll(async () => {
    for (const [index, name] of names.entries()) {
      await ssm.send(new CreateDocumentCommand({ Name: name, Content: commandContent(`page ${index}`) }));
    }
    // Same owner, other prefix: must be filtered out.
    await ssm.send(new CreateDocumentCommand({ Name: "other-doc", Content: commandContent("other") }));
  });

  it("pages through the account's documents with a Name prefix, two at a time", async () => {
    const pages: string[][] = [];
    const paginator = paginateListDocuments(
      { client: ssm, pageSize: 2 },
      {
        Filters: [
          { Key: "Owner", Values: ["Self"] },
          { Key: "Name", Values: ["page-"] },
        ],
      },
    );
    for await (const page of paginator) {
      pages.push((page.DocumentIdentifiers ?? []).map((d) => d.Name as string));
      for (const identifier of page.DocumentIdentifiers ?? []) {
        expect(identifier).toMatchObject({ Owner: "000000000000", DocumentType: "Command", DocumentVersion: "1" });
      }
    }
    expect(pages).toEqual([["page-a", "page-b"], ["page-c", "page-d"], ["page-e"]]);
    expect(pages.flat()).toEqual(names);
  });

  it("sends MaxResults and follows NextToken by hand", async () => {
    const first = await ssm.send(
      new ListDocumentsCommand({ MaxResults: 3, Filters: [{ Key: "Name", Values: ["page-"] }] }),
    );
    expect(first.DocumentIdentifiers?.map((d) => d.Name)).toEqual(["page-a", "page-b", "page-c"]);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await ssm.send(
      new ListDocumentsCommand({
        MaxResults: 3,
        NextToken: first.NextToken,
        Filters: [{ Key: "Name", Values: ["page-"] }],
      }),
    );
    expect(second.DocumentIdentifiers?.map((d) => d.Name)).toEqual(["page-d", "page-e"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("lists AWS-owned documents under Owner=Amazon, and not under Owner=Self", async () => {
    const amazon: string[] = [];
    for await (const page of paginateListDocuments(
      { client: ssm, pageSize: 5 },
      { Filters: [{ Key: "Owner", Values: ["Amazon"] }] },
    )) {
      for (const identifier of page.DocumentIdentifiers ?? []) {
        expect(identifier.Owner).toBe("Amazon");
        amazon.push(identifier.Name as string);
      }
    }
    expect(amazon).toEqual(expect.arrayContaining(AWS_OWNED_REQUIRED));
    expect(amazon).not.toContain("page-a");
    expect(amazon).toEqual([...amazon].sort());

    const self: string[] = [];
    for await (const page of paginateListDocuments(
      { client: ssm, pageSize: 2 },
      { Filters: [{ Key: "Owner", Values: ["Self"] }] },
    )) {
      for (const identifier of page.DocumentIdentifiers ?? []) {
        expect(identifier.Owner).toBe("000000000000");
        self.push(identifier.Name as string);
      }
    }
    expect(self).toEqual(expect.arrayContaining([...names, "other-doc", "sdk-yaml"]));
    for (const name of AWS_OWNED_REQUIRED) expect(self).not.toContain(name);
  });

  it("reads an AWS-owned document", async () => {
    const described = await ssm.send(new DescribeDocumentCommand({ Name: "AWS-RunShellScript" }));
    expect(described.Document).toMatchObject({
      Name: "AWS-RunShellScript",
      Owner: "Amazon",
      DocumentType: "Command",
      SchemaVersion: "1.2",
    });
    const got = await ssm.send(new GetDocumentCommand({ Name: "AWS-RunShellScript" }));
    expect(JSON.parse(got.Content as string)).toMatchObject({
      schemaVersion: "1.2",
      runtimeConfig: expect.any(Object),
    });
  });
});

describe("errors arrive as the SDK's typed exceptions", () => {
  beforeAll(async () => {
    await ssm.send(new CreateDocumentCommand({ Name: "err-doc", Content: commandContent("err") }));
  });

  it("DocumentAlreadyExists", async () => {
    const error = await thrown(() =>
      ssm.send(new CreateDocumentCommand({ Name: "err-doc", Content: commandContent("other") })),
    );
    expect(error).toBeInstanceOf(DocumentAlreadyExists);
    expect(error.name).toBe("DocumentAlreadyExists");
    expect(error.message).toBe("Document with same name err-doc already exists");
    expect(error.$fault).toBe("client");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("InvalidDocument", async () => {
    const error = await thrown(() => ssm.send(new DescribeDocumentCommand({ Name: "no-such-doc" })));
    expect(error).toBeInstanceOf(InvalidDocument);
    expect(error.message).toMatch(/no-such-doc/);
    const onGet = await thrown(() => ssm.send(new GetDocumentCommand({ Name: "no-such-doc" })));
    expect(onGet).toBeInstanceOf(InvalidDocument);
  });

  it("InvalidDocumentVersion", async () => {
    const byNumber = await thrown(() =>
      ssm.send(new DescribeDocumentCommand({ Name: "err-doc", DocumentVersion: "9" })),
    );
    expect(byNumber).toBeInstanceOf(InvalidDocumentVersion);
    expect(byNumber.message).toBe("The document version is not valid or does not exist.");
    const byName = await thrown(() => ssm.send(new GetDocumentCommand({ Name: "err-doc", VersionName: "nope" })));
    expect(byName).toBeInstanceOf(InvalidDocumentVersion);
    const notLatest = await thrown(() =>
      ssm.send(new UpdateDocumentCommand({ Name: "err-doc", Content: commandContent("x"), DocumentVersion: "7" })),
    );
    expect(notLatest).toBeInstanceOf(InvalidDocumentVersion);
  });

  it("InvalidDocumentContent", async () => {
    const error = await thrown(() =>
      ssm.send(new CreateDocumentCommand({ Name: "err-bad", Content: '{"schemaVersion": "2.2",\n  oops}' })),
    );
    expect(error).toBeInstanceOf(InvalidDocumentContent);
    expect(error.message).toBe("JSON not well-formed. at Line: 2, Column: 3");
  });

  it("DuplicateDocumentContent", async () => {
    const error = await thrown(() =>
      ssm.send(
        new UpdateDocumentCommand({ Name: "err-doc", Content: commandContent("err"), DocumentVersion: "$LATEST" }),
      ),
    );
    expect(error).toBeInstanceOf(DuplicateDocumentContent);
    expect(error.name).toBe("DuplicateDocumentContent");
  });

  it("InvalidNextToken", async () => {
    const error = await thrown(() => ssm.send(new ListDocumentsCommand({ NextToken: "garbage" })));
    expect(error).toBeInstanceOf(InvalidNextToken);
    expect(error.message).toBe("The specified token isn't valid.");
  });

  it("InvalidResourceId", async () => {
    const error = await thrown(() =>
      ssm.send(new ListTagsForResourceCommand({ ResourceType: "Document", ResourceId: "no-such-doc" })),
    );
    expect(error).toBeInstanceOf(InvalidResourceId);
    expect(error.message).toBe("The resource ID no-such-doc is not valid. Verify the ID and try again.");
  });

  it("ValidationException", async () => {
    const error = await thrown(() => ssm.send(new DescribeDocumentCommand({ Name: "a b" })));
    expect(error).toBeInstanceOf(SSMServiceException);
    expect(error.name).toBe("ValidationException");
    expect(error.message).toBe(
      "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.:/]{3,128}$",
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe("the wire, without the SDK", () => {
  /** A raw request, signed with the default credentials for the host the server sees. */
  const post = (target: string, body: string) => postTo(server, target.replace("AmazonSSM.", ""), body);

  it("answers an unknown operation with UnknownOperationException", async () => {
    const answer = await post("AmazonSSM.NoSuchOperation", "{}");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ __type: "UnknownOperationException", message: expect.any(String) });
    expect(answer.body.message).toContain("NoSuchOperation");
    expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get("content-type")).toBe("application/x-amz-json-1.1");
  });

  it("answers a body that is not JSON with SerializationException", async () => {
    const answer = await post("AmazonSSM.ListDocuments", "this is not json");
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ __type: "SerializationException" });
  });
});
