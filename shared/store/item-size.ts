/**
 * DynamoDB refuses an item over 400 KB with a ValidationException ("Item size has exceeded the
 * maximum allowed size"), which a store would let through as an internal failure: a 500 for a
 * valid-looking request (issue 29, defect 2: CreateDocument with a 10,000-entry Requires). Every
 * item that grows with a request is bounded by the domain first, by AWS's limits or a clean
 * refusal of its own (documents: content 64 KB and Requires 64 KB; an association's definition;
 * compliance 350 KB a type, in chunks; inventory in parts; parameters by tier; tags 50 a
 * resource). This middleware, on the one client every store uses, is the net under those bounds:
 * a write DynamoDB refuses for an item's size answers a ValidationException that says so, never
 * a 500. test/reliability/item-size.test.ts sends each operation's largest request.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ValidationException } from "../errors.ts";

/** DynamoDB's limit on one item, attribute names and values together. */
export const MAX_ITEM_BYTES = 400 * 1024;

const OVERSIZED = /item size (to update )?has exceeded the maximum allowed size/i;

export function refuseOversizedItems(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const { name, message } = error as { name?: string; message?: string };
        if (name === "ValidationException" && OVERSIZED.test(message ?? "")) {
          throw new ValidationException(
            "The request would store an item larger than DynamoDB's 400 KB item limit. Send less data in one request.",
          );
        }
        throw error;
      }
    },
    { step: "initialize", name: "refuseOversizedItems" },
  );
}
