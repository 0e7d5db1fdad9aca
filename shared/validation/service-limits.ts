/**
 * AWS's documented service limits that are lower than the service model's, applied over the
 * model's shapes by validation and reported in the same words (`Member must have length less
 * than or equal to 1`). Each entry cites where AWS documents it.
 */
import type { ModelShape } from "./model-types.ts";

export const serviceLimits: Record<string, Partial<Pick<Extract<ModelShape, { type: "list" }>, "max">>> = {
  // ListComplianceItems, ResourceIds: "Currently, you can only specify one resource ID."
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ListComplianceItems.html
  ComplianceResourceIdList: { max: 1 },
};
