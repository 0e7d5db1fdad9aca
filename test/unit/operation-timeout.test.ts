/**
 * The protocol stack's answer when Lambda is about to cut a request off: an AWS-shaped
 * InternalServerError a few milliseconds before the function's time runs out (the behaviour
 * @middy/core gives the stack: its timeoutEarly), not API Gateway's bare 502.
 */
import type { Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { operationHandler } from "../../shared/protocol/operation.ts";
import { ListDocuments } from "../../shared/validation/generated/operations/ListDocuments.ts";
import { proxyEvent } from "../support/invoke.ts";

const event = () =>
  proxyEvent("ListDocuments", "{}", {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": "AmazonSSM.ListDocuments",
  });

describe("a request Lambda is about to time out", () => {
  it("is answered as InternalServerError before the time runs out, and logged", async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => {
      logged.push(String(line));
    });
    try {
      const never = operationHandler(
        ListDocuments,
        async (_event, _body, base) => base,
        () => new Promise<never>(() => {}),
      );
      const context = { getRemainingTimeInMillis: () => 20 } as Context;
      const result = await never(event(), context);
      expect(result.statusCode).toBe(500);
      expect(JSON.parse(result.body)).toEqual({
        __type: "InternalServerError",
        message: "An internal error occurred. Try again later.",
      });
      expect(JSON.parse(logged[0] as string).error.name).toBe("TimeoutError");
    } finally {
      spy.mockRestore();
    }
  });

  it("is answered normally when it finishes in time", async () => {
    const quick = operationHandler(
      ListDocuments,
      async (_event, _body, base) => base,
      async () => ({ DocumentIdentifiers: [] }),
    );
    const result = await quick(event(), { getRemainingTimeInMillis: () => 30_000 } as Context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ DocumentIdentifiers: [] });
  });
});
