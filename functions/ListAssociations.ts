import type { ListAssociationsRequest, ListAssociationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { associations } from "../shared/services/associations.ts";
import { ListAssociations } from "../shared/validation/generated/operations/ListAssociations.ts";

export const handler = ssmOperation<ListAssociationsRequest, ListAssociationsResult>(
  ListAssociations,
  (request, context, runtime) => runtime.get(associations).list(context, request),
);
