import type { ListAssociationsRequest, ListAssociationsResult } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { ListAssociations } from "../shared/validation/generated/operations/ListAssociations.ts";

export const handler = ssmOperation<ListAssociationsRequest, ListAssociationsResult>(
  ListAssociations,
  (request, context, services) => services.associations.list(context, request),
);
