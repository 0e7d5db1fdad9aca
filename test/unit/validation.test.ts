import { describe, expect, it } from "vitest";
import { SerializationException, ValidationException } from "../../shared/errors.ts";
import { operations, shapes } from "../../shared/validation/generated/ssm-model.ts";
import type { OperationModel } from "../../shared/validation/model-types.ts";
import { compilePattern, validateInput as validateAgainst } from "../../shared/validation/validate.ts";

/** An operation of the full model (its shapes a superset of the operation's own module). */
const validateInput = (operation: string, input: unknown) =>
  validateAgainst({ name: operation, input: operations[operation]?.input ?? null, shapes } as OperationModel, input);

function validationMessage(operation: string, input: unknown): string {
  try {
    validateInput(operation, input);
  } catch (error) {
    if (error instanceof ValidationException) return error.message;
    throw error;
  }
  throw new Error("expected a ValidationException");
}

function serializationMessage(operation: string, input: unknown): string {
  try {
    validateInput(operation, input);
  } catch (error) {
    if (error instanceof SerializationException) return error.message;
    throw error;
  }
  throw new Error("expected a SerializationException");
}

describe("the generated model", () => {
  it("holds every operation of the service with its input shape", () => {
    expect(Object.keys(operations).length).toBeGreaterThan(140);
    for (const name of ["CreateDocument", "CreateAssociation", "CreateAssociationBatch", "UpdateAssociationStatus"]) {
      const input = operations[name]?.input;
      expect(input, name).toBeTruthy();
      expect(shapes[input as string]?.type).toBe("structure");
    }
  });

  it("carries the model's constraints, not hand-copied ones", () => {
    expect(shapes.DocumentName).toEqual({ type: "string", pattern: "^[a-zA-Z0-9_\\-.]{3,128}$" });
    expect(shapes.CreateDocumentRequest).toMatchObject({ required: ["Content", "Name"] });
    expect(shapes.Targets).toMatchObject({ type: "list", max: 5 });
  });

  it("compiles every pattern of the model", () => {
    for (const shape of Object.values(shapes)) {
      if ("pattern" in shape && shape.pattern) expect(() => compilePattern(shape.pattern as string)).not.toThrow();
    }
  });
});

describe("constraint violations, in Coral's words", () => {
  it("a pattern", () => {
    expect(validationMessage("DescribeDocument", { Name: "a b" })).toBe(
      "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.:/]{3,128}$",
    );
  });

  it("a missing required member", () => {
    expect(validationMessage("CreateDocument", { Name: "abc" })).toBe(
      "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null",
    );
  });

  it("several at once, joined by semicolons", () => {
    expect(validationMessage("CreateDocument", {})).toBe(
      "2 validation errors detected: Value null at 'content' failed to satisfy constraint: Member must not be null; Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  });

  it("a length, an enum and a range", () => {
    expect(validationMessage("CreateDocument", { Name: "abc", Content: "" })).toBe(
      "1 validation error detected: Value '' at 'content' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(validationMessage("CreateDocument", { Name: "abc", Content: "x", DocumentFormat: "XML" })).toBe(
      "1 validation error detected: Value 'XML' at 'documentFormat' failed to satisfy constraint: Member must satisfy enum value set: [YAML, JSON, TEXT]",
    );
    expect(validationMessage("ListDocuments", { MaxResults: 0 })).toBe(
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it("list sizes and nested members with 1-based paths", () => {
    const Targets = Array.from({ length: 6 }, () => ({ Key: "InstanceIds", Values: ["i-1234567890abcdef0"] }));
    expect(validationMessage("CreateAssociation", { Name: "AWS-RunShellScript", Targets })).toContain(
      "at 'targets' failed to satisfy constraint: Member must have length less than or equal to 5",
    );
    expect(validationMessage("ListDocuments", { Filters: [{ Key: "", Values: [] }] })).toBe(
      "1 validation error detected: Value '' at 'filters.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it("accepts a valid request and answers a copy without the members the model does not have", () => {
    const input = { Name: "my-doc", Content: "{}", Unknown: 1 };
    expect(validateInput("CreateDocument", input)).toEqual({ Name: "my-doc", Content: "{}" });
  });
});

describe("members of the wrong JSON type", () => {
  it("are SerializationExceptions, in the deserializer's words", () => {
    expect(serializationMessage("CreateDocument", { Name: 5, Content: "x" })).toBe(
      "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String",
    );
    expect(serializationMessage("ListDocuments", { MaxResults: "5" })).toBe(
      "class java.lang.String can not be converted to an Integer",
    );
    expect(serializationMessage("ListDocuments", { Filters: { Key: "Name" } })).toBe(
      "Start of structure or map found where not expected.",
    );
    expect(serializationMessage("CreateDocument", { Name: ["a"], Content: "x" })).toBe(
      "Start of list found where not expected",
    );
    expect(serializationMessage("DeleteDocument", { Name: "abc", Force: "yes" })).toBe(
      "class java.lang.String can not be converted to an Boolean",
    );
  });
});

describe("the per-operation models", () => {
  it("each function names its own operation's module, which holds every shape its input reaches", async () => {
    const { operationNames } = await import("../../infra/local/operations.ts");
    const { readFileSync } = await import("node:fs");
    for (const name of operationNames()) {
      const source = readFileSync(new URL(`../../functions/${name}.ts`, import.meta.url), "utf8");
      expect(source, name).toContain(`import { ${name} } from "../shared/validation/generated/operations/${name}.ts"`);
      const module = (await import(`../../shared/validation/generated/operations/${name}.ts`)) as Record<
        string,
        OperationModel
      >;
      const model = module[name] as OperationModel;
      expect(model.name).toBe(name);
      expect(model.input).toBe(operations[name]?.input ?? null);
      for (const [shapeName, shape] of Object.entries(model.shapes)) expect(shape).toEqual(shapes[shapeName]);
    }
  });
});
