import type { ListAssociationVersionsRequest, ListAssociationVersionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/protocol/operation.ts";
import { associations } from "../shared/runtime.ts";

export const handler = ssmOperation<ListAssociationVersionsRequest, ListAssociationVersionsResult>(
  "ListAssociationVersions",
  (request, context) => associations().listVersions(context, request),
);
