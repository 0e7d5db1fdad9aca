import type { ListAssociationVersionsRequest, ListAssociationVersionsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { ListAssociationVersions } from "../shared/validation/generated/operations/ListAssociationVersions.ts";

export const handler = ssmOperation<ListAssociationVersionsRequest, ListAssociationVersionsResult>(
  ListAssociationVersions,
  (request, context, runtime) => runtime.get(associations).listVersions(context, request),
);
