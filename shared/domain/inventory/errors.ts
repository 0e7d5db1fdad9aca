/** The inventory errors' messages, worded as AWS's model documents them. */
import {
  CustomSchemaCountLimitExceededException,
  InvalidAggregatorException,
  InvalidFilter,
  InvalidInventoryItemContextException,
  InvalidItemContentException,
  InvalidResultAttributeException,
  InvalidTypeNameException,
  ItemContentMismatchException,
  ItemSizeLimitExceededException,
  TotalSizeLimitExceededException,
  UnsupportedInventoryItemContextException,
  UnsupportedInventorySchemaVersionException,
} from "../../errors.ts";

export const invalidTypeName = (typeName: string) =>
  new InvalidTypeNameException(`The parameter type name isn't valid: ${typeName}`);
export const unsupportedSchemaVersion = (typeName: string, version: string, supported: string) =>
  new UnsupportedInventorySchemaVersionException(
    `Inventory item type schema version has to match supported versions in the service: ${typeName} supports ${supported}, not ${version}.`,
  );
export const contextNotAllowed = (typeName: string) =>
  new UnsupportedInventoryItemContextException(
    `The Context attribute isn't allowed for the inventory type ${typeName}. You can only use the Context attribute with inventory types like AWS:ComplianceItem.`,
    typeName,
  );
export const invalidContext = (key: string) =>
  new InvalidInventoryItemContextException(`You specified invalid keys or values in the Context attribute: ${key}.`);
export const contentMismatch = (typeName: string) =>
  new ItemContentMismatchException(
    `The inventory item has invalid content: ${typeName} has no Content and its ContentHash does not match the data stored.`,
    typeName,
  );
export const duplicateType = (typeName: string) =>
  new InvalidItemContentException(`One or more content items isn't valid: ${typeName} is given more than once.`);
export const itemTooLarge = (typeName: string, bytes: number, limit: number) =>
  new ItemSizeLimitExceededException(
    `The inventory item size has exceeded the size limit: ${typeName} is ${bytes} bytes, the limit is ${limit}.`,
    typeName,
  );
export const totalTooLarge = (bytes: number, limit: number) =>
  new TotalSizeLimitExceededException(
    `The size of inventory data has exceeded the total size limit for the resource: ${bytes} bytes, the limit is ${limit}.`,
  );
export const customSchemaLimit = (limit: number) =>
  new CustomSchemaCountLimitExceededException(
    `You have exceeded the limit for custom schemas (${limit}). Delete one or more custom schemas and try again.`,
  );
export const aggregatorsNotSupported = () =>
  new InvalidAggregatorException("Aggregators are not supported by this service: use Filters and ResultAttributes.");
export const invalidResultAttribute = (typeName: string) =>
  new InvalidResultAttributeException(`The specified inventory item result attribute isn't valid: ${typeName}`);
export const invalidFilterKey = (key: string) =>
  new InvalidFilter(
    `The filter name isn't valid: ${key}. Use <TypeName>.<Attribute>, e.g. AWS:InstanceInformation.InstanceId.`,
  );
