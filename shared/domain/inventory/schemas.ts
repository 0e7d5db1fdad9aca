/**
 * The inventory types AWS defines and the schema version each accepts, as the SSM Agent sends
 * them (agent/plugins/inventory/gatherers/* in amazon-ssm-agent: AWS:Application is 1.1, every
 * other type 1.0) and GetInventorySchema lists them. Custom types (`Custom:<name>`) take any
 * version the model's pattern allows.
 *
 * Attribute names of the AWS types are not checked against their schemas here: the agent's
 * gatherers add attributes across releases (AWS:Application gained Summary and PackageId), and
 * refusing one would lose a node's whole upload.
 */
export const AWS_TYPES: ReadonlyMap<string, string> = new Map([
  ["AWS:Application", "1.1"],
  ["AWS:AWSComponent", "1.0"],
  ["AWS:BillingInfo", "1.0"],
  ["AWS:ComplianceItem", "1.0"],
  ["AWS:File", "1.0"],
  ["AWS:InstanceDetailedInformation", "1.0"],
  ["AWS:InstanceInformation", "1.0"],
  ["AWS:Network", "1.0"],
  ["AWS:PatchSummary", "1.0"],
  ["AWS:ResourceGroup", "1.0"],
  ["AWS:Service", "1.0"],
  ["AWS:Tag", "1.0"],
  ["AWS:WindowsRegistry", "1.0"],
  ["AWS:WindowsRole", "1.0"],
  ["AWS:WindowsUpdate", "1.0"],
]);

export const isCustomType = (typeName: string): boolean => typeName.startsWith("Custom:");

/** The only type that takes a Context, and the keys it takes (the API reference's example). */
export const CONTEXT_TYPE = "AWS:ComplianceItem";
export const CONTEXT_KEYS: ReadonlySet<string> = new Set(["ExecutionId", "ExecutionType", "ComplianceType"]);

/**
 * Systems Manager's Inventory quotas: 20 custom types per account and Region, 200 KB per custom
 * type's data, 1 MB (10^6 bytes) of inventory data per node per call.
 */
export const CUSTOM_TYPE_LIMIT = 20;
export const CUSTOM_ITEM_MAX_BYTES = 200 * 1024;
export const CALL_MAX_BYTES = 1_000_000;
