import type { ListAssociationsRequest, ListAssociationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<ListAssociationsRequest, ListAssociationsResult>(
  "ListAssociations",
  (request, context) => associations().list(context, request),
);
