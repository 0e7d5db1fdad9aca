/** boto3, the third client the README names, against the local endpoint. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useLocalEndpoint } from "../support/endpoint.ts";

const run = promisify(execFile);
const server = useLocalEndpoint();

const SCRIPT = `
import json, sys, boto3, botocore
ssm = boto3.client("ssm", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
out = {}
content = json.dumps({"schemaVersion": "2.2", "mainSteps": [{"action": "aws:runShellScript", "name": "a", "inputs": {"runCommand": ["ls"]}}]})
out["created"] = ssm.create_document(Name="boto-doc", Content=content, DocumentType="Command")["DocumentDescription"]["Status"]
pages = ssm.get_paginator("list_documents").paginate(Filters=[{"Key": "Owner", "Values": ["Amazon"]}], PaginationConfig={"PageSize": 3})
out["amazon"] = sorted(d["Name"] for page in pages for d in page["DocumentIdentifiers"])
association = ssm.create_association(Name="boto-doc", Targets=[{"Key": "tag:env", "Values": ["prod"]}])["AssociationDescription"]
out["association"] = association["Overview"]
try:
    ssm.create_document(Name="boto-doc", Content=content)
except ssm.exceptions.DocumentAlreadyExists as error:
    out["duplicate"] = error.response["Error"]["Message"]
try:
    ssm.delete_document(Name="boto-doc")
except botocore.exceptions.ClientError as error:
    out["guard"] = error.response["Error"]["Code"]
print(json.dumps(out))
`;

describe("boto3", () => {
  it("creates, paginates, associates, and gets AWS's errors", async () => {
    const { stdout } = await run("python3", ["-c", SCRIPT, server.url]);
    const out = JSON.parse(stdout);
    expect(out.created).toBe("Creating");
    expect(out.amazon).toEqual(
      expect.arrayContaining(["AWS-RunShellScript", "AWS-UpdateSSMAgent", "AWS-RunPatchBaseline"]),
    );
    expect(out.association).toEqual({ Status: "Pending", DetailedStatus: "Creating" });
    expect(out.duplicate).toBe("Document with same name boto-doc already exists");
    expect(out.guard).toBe("AssociatedInstances");
  }, 60_000);
});
