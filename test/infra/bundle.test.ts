import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleOperations, modulesAtImport } from "../../infra/build/bundle.ts";
import runShellScript from "../../shared/domain/documents/aws-owned/AWS-RunShellScript.json" with { type: "json" };
import { convertContent } from "../../shared/domain/documents/content.ts";
import type { OperationHandler } from "../../shared/protocol/operation.ts";
import { commandContent, yamlCommandContent } from "../support/fixtures.ts";
import { signedEvent } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  const table = await freshTable();
  // A bundle is a deployed function: its cold start reads the environment the template sets.
  process.env.DYNAMODB_ENDPOINT = table.endpoint;
  process.env.TABLE_NAME = table.name;
  process.env.CREDENTIALS_KEY = table.credentialsKey;
});

describe("the Lambda bundles", () => {
  it("are self-contained ESM modules that answer as the source handlers do", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "osm-bundle-"));
    const metafiles = await bundleOperations(outdir, ["CreateDocument", "DescribeDocument", "GetDocument"], {
      metafile: true,
    });
    const load = async (name: string) =>
      ((await import(pathToFileURL(join(outdir, name, "index.mjs")).href)) as { handler: OperationHandler }).handler;
    const create = await load("CreateDocument");
    const describeDocument = await load("DescribeDocument");

    const created = await create(
      await signedEvent("CreateDocument", JSON.stringify({ Name: "bundled", Content: commandContent() })),
      {} as Context,
    );
    expect(created.statusCode).toBe(200);
    const described = await describeDocument(
      await signedEvent("DescribeDocument", JSON.stringify({ Name: "bundled" })),
      {} as Context,
    );
    expect(JSON.parse(described.body).Document).toMatchObject({ Name: "bundled", Status: "Active" });
    const refused = await describeDocument(
      await signedEvent("DescribeDocument", JSON.stringify({ Name: "a b" })),
      {} as Context,
    );
    expect(JSON.parse(refused.body).__type).toBe("ValidationException");

    // The AWS-owned documents ship gzipped (infra/build/plugins.ts): the bundle answers their
    // exact text, as the source does.
    const getDocument = await load("GetDocument");
    const owned = await getDocument(
      await signedEvent("GetDocument", JSON.stringify({ Name: "AWS-RunShellScript" })),
      {} as Context,
    );
    expect(JSON.parse(owned.body).Content).toBe(runShellScript.content);

    // yaml is bundled from its ES module build (infra/build/plugins.ts): YAML in and out as the source does.
    const asYaml = await getDocument(
      await signedEvent("GetDocument", JSON.stringify({ Name: "AWS-RunShellScript", DocumentFormat: "YAML" })),
      {} as Context,
    );
    expect(JSON.parse(asYaml.body).Content).toBe(convertContent(runShellScript.content, "JSON", "YAML"));
    const createdYaml = await create(
      await signedEvent(
        "CreateDocument",
        JSON.stringify({ Name: "bundled-yaml", Content: yamlCommandContent, DocumentFormat: "YAML" }),
      ),
      {} as Context,
    );
    expect(JSON.parse(createdYaml.body).DocumentDescription).toMatchObject({
      DocumentFormat: "YAML",
      Parameters: [expect.objectContaining({ Name: "count", Type: "Integer", DefaultValue: "3" })],
    });
    const badYaml = await create(
      await signedEvent(
        "CreateDocument",
        JSON.stringify({ Name: "bundled-bad-yaml", Content: "a: [1, 2", DocumentFormat: "YAML" }),
      ),
      {} as Context,
    );
    expect(JSON.parse(badYaml.body).__type).toBe("InvalidDocumentContent");

    // The default credential chain is its environment link only (infra/build/lambda-credentials.ts).
    const inputs = [...modulesAtImport(metafiles.get("GetDocument")).keys()];
    expect(inputs.some((input) => input.includes("credential-provider-env"))).toBe(true);
    expect(inputs.filter((input) => /credential-provider-(node|ini|sso|imds)|nested-clients/.test(input))).toEqual([]);
  }, 60_000);

  it("carry only what their operation reaches (shared/services/), and still answer", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "osm-bundle-"));
    const names = [
      "PutParameter",
      "GetParameter",
      "FailMessage",
      "ListDocuments",
      "CreateAssociation",
      "CreateDocument",
      "AddTagsToResource",
    ];
    const metafiles = await bundleOperations(outdir, names, { metafile: true });
    // The modules whose code a cold start loads (infra/build/bundle.ts).
    const inputsOf = (name: string) => [...modulesAtImport(metafiles.get(name)).keys()];

    // A function that never reads a document carries no document code, no YAML parser and no
    // other resource's store (the node store aside: the handler wiring reads a node's role to word
    // a node credential's refusal; and the audit store, which the wiring writes every mutating
    // request's record to: request-observer.ts); the message channel carries the queue and Run
    // Command's store (the invocations its replies move), and no document or association code.
    const parameterInputs = inputsOf("GetParameter");
    expect(parameterInputs).toContain("shared/store/parameter-store.ts");
    expect(
      parameterInputs.filter((input) =>
        /node_modules\/yaml\/|shared\/domain\/(documents|associations|executions|compliance|inventory)\/|shared\/store\/(?!parameter-store|items|keys|dynamodb|key-limits|item-size|map-keys|caching-document-client|credential-store|node-store|audit-store)/.test(
          input,
        ),
      ),
    ).toEqual([]);
    expect(inputsOf("FailMessage").filter((input) => /shared\/store\/.*-store\.ts$/.test(input))).toEqual([
      "shared/store/audit-store.ts",
      "shared/store/credential-store.ts",
      "shared/store/node-store.ts",
      "shared/store/command-store.ts",
      "shared/store/message-queue-store.ts",
    ]);
    expect(
      inputsOf("FailMessage").filter((input) =>
        /node_modules\/yaml\/|shared\/domain\/(documents|associations|executions)\/(?!analysis)/.test(input),
      ),
    ).toEqual([]);
    // Not carried by any function: the SDK's event-stream support; and middy's streaming imports
    // are the lazy stand-ins, not Node's web streams at import (infra/build/plugins.ts).
    for (const name of names) {
      expect(inputsOf(name).filter((input) => /event-streams\/(?!index)/.test(input))).toEqual([]);
      expect(inputsOf(name)).toContain("lazy-middy-streams:node:stream/web");
    }
    expect(readFileSync(join(outdir, "ListDocuments", "index.mjs"), "utf8")).not.toContain('"node:stream/web"');
    // Of an SDK client's package.json, only its version (the user agent's) is carried.
    const modules = modulesAtImport(metafiles.get("GetParameter"));
    for (const client of ["client-dynamodb", "client-secrets-manager"]) {
      const bytes = modules.get(`node_modules/@aws-sdk/${client}/package.json`) ?? 0;
      expect({ client, small: bytes > 0 && bytes < 100 }).toEqual({ client, small: true });
    }
    // The check above can fail: a function that writes documents does carry the parser.
    expect(inputsOf("CreateDocument").some((input) => input.includes("node_modules/yaml/"))).toBe(true);

    // An association reads documents through the reader (shared/domain/documents/reader.ts): no
    // YAML parser, no content parsing or conversion, none of the Documents API's code. The same
    // check finds both in a function that writes documents.
    const parsing = /node_modules\/yaml\/|shared\/domain\/documents\/(content|documents)\.ts$/;
    const associationInputs = inputsOf("CreateAssociation");
    expect(associationInputs).toContain("shared/domain/documents/reader.ts");
    expect(associationInputs.filter((input) => parsing.test(input))).toEqual([]);
    expect(inputsOf("CreateDocument").filter((input) => parsing.test(input))).toEqual(
      expect.arrayContaining(["shared/domain/documents/content.ts", "shared/domain/documents/documents.ts"]),
    );
    expect(inputsOf("CreateDocument").some((input) => input.includes("node_modules/yaml/"))).toBe(true);
    // The document writes carry none of the registry's operations (listing, for one), which the
    // registry's functions do.
    expect(inputsOf("CreateDocument")).not.toContain("shared/domain/documents/listing.ts");
    expect(inputsOf("ListDocuments")).toContain("shared/domain/documents/listing.ts");
    // A tag function reaches each resource type through its store's tagging port
    // (shared/domain/resource-tags.ts): no resource's service, no document reading at all. (Of a
    // service module, a store may keep a constant or an import: a few dozen bytes, not its code.)
    // Nor any code of runs, commands or the message channel: the association store writes a
    // pushed run's command and messages (store/execution-items.ts) with their stores' item
    // builders only.
    const codeOf = (name: string) =>
      [...modulesAtImport(metafiles.get(name))].filter(([, bytes]) => bytes > 100).map(([input]) => input);
    expect(
      codeOf("AddTagsToResource").filter((input) =>
        /node_modules\/yaml\/|shared\/domain\/(documents\/(?!records|store|errors)|associations\/associations|executions\/|commands\/|messages\/|parameters\/parameters|nodes\/nodes)/.test(
          input,
        ),
      ),
    ).toEqual([]);
    expect(inputsOf("CreateAssociation").some((input) => input.includes("aws-owned/AWS-RunShellScript.json"))).toBe(
      true,
    );

    expect(inputsOf("AddTagsToResource")).toContain("shared/domain/resource-tags.ts");

    const load = async (name: string) =>
      ((await import(pathToFileURL(join(outdir, name, "index.mjs")).href)) as { handler: OperationHandler }).handler;
    const put = await (await load("PutParameter"))(
      await signedEvent(
        "PutParameter",
        JSON.stringify({ Name: "/bundled/secret", Value: "s3cret", Type: "SecureString" }),
      ),
      {} as Context,
    );
    expect(put.statusCode).toBe(200);
    const get = await load("GetParameter");
    const read = await get(
      await signedEvent("GetParameter", JSON.stringify({ Name: "/bundled/secret", WithDecryption: true })),
      {} as Context,
    );
    expect(JSON.parse(read.body).Parameter).toMatchObject({ Name: "/bundled/secret", Value: "s3cret", Version: 1 });
    const missing = await get(
      await signedEvent("GetParameter", JSON.stringify({ Name: "/bundled/none" })),
      {} as Context,
    );
    expect(JSON.parse(missing.body).__type).toBe("ParameterNotFound");
  }, 60_000);

  it("of the document operations that parse no content carry no YAML parser, and GetDocument's loads it only to convert", async () => {
    // Only create and update parse content; a describe reports what was derived when the version
    // was written (records.ts), and GetDocument parses only to answer in another format than the
    // content's own (shared/domain/documents/retrieval.ts). The parser is the largest part of a
    // bundle that has it (about 96 KB to compile at every cold start).
    const withoutParser = [
      "DescribeDocument",
      "DeleteDocument",
      "ListDocuments",
      "ListDocumentVersions",
      "UpdateDocumentDefaultVersion",
      "UpdateDocumentMetadata",
      "DescribeDocumentPermission",
      "ModifyDocumentPermission",
      "GetDocument",
    ];
    const withParser = ["CreateDocument", "UpdateDocument"];
    const outdir = mkdtempSync(join(tmpdir(), "osm-bundle-"));
    const metafiles = await bundleOperations(outdir, [...withoutParser, ...withParser], { metafile: true });
    const parser = /node_modules\/yaml\/|shared\/domain\/documents\/content\.ts$/;
    const atImport = (name: string) => [...modulesAtImport(metafiles.get(name)).keys()].filter((i) => parser.test(i));
    const anywhere = (name: string) =>
      Object.values(metafiles.get(name)?.outputs ?? {}).flatMap((output) =>
        Object.entries(output.inputs)
          .filter(([input, { bytesInOutput }]) => bytesInOutput > 0 && parser.test(input))
          .map(([input]) => input),
      );
    for (const name of withoutParser) expect({ name, parser: atImport(name) }).toEqual({ name, parser: [] });
    // The same check finds the parser where it is needed, so it can fail.
    for (const name of withParser) {
      expect(atImport(name)).toContain("shared/domain/documents/content.ts");
      expect(atImport(name).some((input) => input.includes("node_modules/yaml/"))).toBe(true);
    }
    // GetDocument's conversion is a file of its own that only a conversion loads (the first test
    // runs it); no other of these functions has one.
    expect(anywhere("GetDocument")).toContain("shared/domain/documents/content.ts");
    expect(anywhere("GetDocument").some((input) => input.includes("node_modules/yaml/"))).toBe(true);
    for (const name of withoutParser.filter((n) => n !== "GetDocument")) expect(anywhere(name)).toEqual([]);
  }, 60_000);

  it("load the iCalendar parser only where a calendar is read, from a file of its own", async () => {
    // ical.js (about 76 KB) is compiled only when a calendar is evaluated: a ChangeCalendar
    // written, GetCalendarState, an association with CalendarNames started or joined
    // (shared/domain/calendars/calendar.ts, loaded by dynamic import). No cold start compiles it.
    const names = ["CreateDocument", "GetCalendarState", "CreateAssociation", "ListInstanceAssociations", "Scheduler"];
    const outdir = mkdtempSync(join(tmpdir(), "osm-bundle-"));
    const metafiles = await bundleOperations(outdir, names, { metafile: true });
    const parser = /node_modules\/ical\.js\/|shared\/domain\/calendars\/calendar\.ts$/;
    const atImport = (name: string) => [...modulesAtImport(metafiles.get(name)).keys()].filter((i) => parser.test(i));
    const anywhere = (name: string) =>
      Object.values(metafiles.get(name)?.outputs ?? {}).flatMap((output) =>
        Object.keys(output.inputs).filter((input) => parser.test(input)),
      );
    for (const name of names) {
      expect({ name, atImport: atImport(name) }).toEqual({ name, atImport: [] });
      expect({ name, carried: anywhere(name).some((input) => input.includes("node_modules/ical.js/")) }).toEqual({
        name,
        carried: true,
      });
    }
    // The bundle loads its file and answers.
    const handler = (
      (await import(pathToFileURL(join(outdir, "GetCalendarState", "index.mjs")).href)) as { handler: OperationHandler }
    ).handler;
    const create = (
      (await import(pathToFileURL(join(outdir, "CreateDocument", "index.mjs")).href)) as { handler: OperationHandler }
    ).handler;
    const created = await create(
      await signedEvent(
        "CreateDocument",
        JSON.stringify({
          Name: "bundled-calendar",
          Content: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-CALENDAR-TYPE:DEFAULT_CLOSED\r\nEND:VCALENDAR\r\n",
          DocumentType: "ChangeCalendar",
          DocumentFormat: "TEXT",
        }),
      ),
      {} as Context,
    );
    expect(created.statusCode).toBe(200);
    const answer = await handler(
      await signedEvent(
        "GetCalendarState",
        JSON.stringify({ CalendarNames: ["bundled-calendar"], AtTime: "2027-01-01T00:00:00Z" }),
      ),
      {} as Context,
    );
    expect(JSON.parse(answer.body)).toEqual({ State: "CLOSED", AtTime: "2027-01-01T00:00:00Z" });
  }, 60_000);
});
