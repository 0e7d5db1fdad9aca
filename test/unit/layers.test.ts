/** The import rules of ARCHITECTURE.md, as `npm run layers` checks them. */
import { describe, expect, it } from "vitest";
import { cycles, importGraph, layerOf, problems, violation } from "../../infra/check/layers.ts";

describe("the layer check", () => {
  it("places files in their layers", () => {
    expect(layerOf("shared/errors.ts")).toBe("leaf");
    expect(layerOf("shared/context.ts")).toBe("leaf");
    expect(layerOf("shared/auth/sigv4.ts")).toBe("auth");
    expect(layerOf("shared/protocol/operation.ts")).toBe("protocol");
    expect(layerOf("shared/domain/documents/documents.ts")).toBe("domain");
    expect(layerOf("shared/store/keys.ts")).toBe("store");
    expect(layerOf("shared/runtime.ts")).toBe("wiring");
    expect(layerOf("functions/ListDocuments.ts")).toBe("functions");
    expect(layerOf("test/support/invoke.ts")).toBe("outside");
  });

  it("refuses upward and sideways imports", () => {
    expect(violation("shared/domain/documents/documents.ts", "shared/store/document-store.ts")).toMatch(/domain/);
    expect(violation("shared/protocol/operation.ts", "shared/runtime.ts")).toMatch(/protocol/);
    expect(violation("shared/protocol/operation.ts", "shared/domain/nodes/records.ts")).toMatch(/protocol/);
    expect(violation("shared/domain/nodes/nodes.ts", "shared/protocol/json-protocol.ts")).toMatch(/domain/);
    expect(violation("shared/context.ts", "shared/auth/sigv4.ts")).toMatch(/leaf/);
    expect(violation("shared/auth/sigv4.ts", "shared/domain/accounts/records.ts")).toMatch(/auth/);
    expect(violation("shared/store/keys.ts", "shared/domain/documents/documents.ts")).toMatch(/store\.ts/);
    expect(violation("functions/ListDocuments.ts", "shared/runtime.ts")).toMatch(/handler/);
    // A function takes its service's part, never the whole runtime or the environment.
    expect(violation("functions/ListDocuments.ts", "shared/services/runtime.ts")).toMatch(/part/);
    expect(violation("functions/ListDocuments.ts", "shared/config.ts")).toMatch(/part/);
    // A function carries its own operation's shapes, never another's or the whole model.
    expect(violation("functions/ListDocuments.ts", "shared/validation/generated/operations/CreateDocument.ts")).toMatch(
      /own operation/,
    );
    expect(violation("functions/ListDocuments.ts", "shared/validation/generated/ssm-model.ts")).toMatch(
      /own operation/,
    );
    expect(violation("shared/runtime.ts", "infra/local/server.ts")).toMatch(/wiring/);
  });

  it("allows the imports the rule allows", () => {
    expect(violation("shared/store/document-store.ts", "shared/domain/documents/store.ts")).toBeUndefined();
    expect(violation("shared/store/document-store.ts", "shared/domain/documents/errors.ts")).toBeUndefined();
    expect(violation("shared/domain/documents/documents.ts", "shared/context.ts")).toBeUndefined();
    expect(violation("shared/runtime.ts", "shared/store/document-store.ts")).toBeUndefined();
    expect(violation("functions/ListDocuments.ts", "shared/handler.ts")).toBeUndefined();
    expect(violation("functions/ListDocuments.ts", "shared/services/document-registry.ts")).toBeUndefined();
    expect(violation("functions/GetParameter.ts", "shared/services/parameters.ts")).toBeUndefined();
    expect(
      violation("functions/ListDocuments.ts", "shared/validation/generated/operations/ListDocuments.ts"),
    ).toBeUndefined();
    expect(violation("test/support/table.ts", "shared/runtime.ts")).toBeUndefined();
  });

  it("finds cycles, self-imports included", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["d.ts"]],
      ["e.ts", ["a.ts"]],
    ]);
    expect(cycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"], ["d.ts"]]);
  });

  it("finds nothing wrong in this project", () => {
    const graph = importGraph(new URL("../..", import.meta.url).pathname);
    expect(graph.get("functions/ListDocuments.ts")).toEqual([
      "shared/handler.ts",
      "shared/services/document-registry.ts",
      "shared/validation/generated/operations/ListDocuments.ts",
    ]);
    expect(problems(graph)).toEqual([]);
  });
});
