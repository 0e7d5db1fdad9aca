/**
 * The closed set of errors this service can answer with. Each class is named exactly as its
 * wire `__type`, carries its HTTP status and fault, and serializes itself. Anything thrown that
 * is not an `SsmError` is an internal failure: logged, and answered as `InternalServerError`.
 *
 * The wire code is an explicit string, not `constructor.name`, because bundling minifies names.
 */
export abstract class SsmError extends Error {
  abstract readonly code: string;
  readonly status: number = 400;
  /** Who is at fault, as CreateAssociationBatch reports it: the caller or the service. */
  readonly fault: "Client" | "Server" = "Client";

  /** AWS omits `message` for errors that have none (a body that is not JSON, for one). */
  toJSON(): { __type: string; message?: string } {
    return this.message ? { __type: this.code, message: this.message } : { __type: this.code };
  }
}

// Protocol and request-shape errors
export class SerializationException extends SsmError {
  readonly code = "SerializationException";
}
export class UnknownOperationException extends SsmError {
  readonly code = "UnknownOperationException";
}
export class ValidationException extends SsmError {
  readonly code = "ValidationException";
}
/**
 * AWS's answer when a caller is throttled (no SSM shape models it; every AWS service sends it).
 * Here it answers a node whose write still lost its race after the service's own retries: the
 * agent's SDK retries it (aws-sdk-go's default retryer counts "ThrottlingException" among its
 * throttle codes, aws/request/retryer.go), where it would drop TooManyUpdates.
 */
export class ThrottlingException extends SsmError {
  readonly code = "ThrottlingException";
}
export class InternalServerError extends SsmError {
  readonly code = "InternalServerError";
  override readonly status = 500;
  override readonly fault = "Server";
}

// Authentication: every request is signed with SigV4
export class MissingAuthenticationTokenException extends SsmError {
  readonly code = "MissingAuthenticationTokenException";
}
export class IncompleteSignatureException extends SsmError {
  readonly code = "IncompleteSignatureException";
}
export class InvalidSignatureException extends SsmError {
  readonly code = "InvalidSignatureException";
}
export class UnrecognizedClientException extends SsmError {
  readonly code = "UnrecognizedClientException";
}
export class ExpiredTokenException extends SsmError {
  readonly code = "ExpiredTokenException";
}
/** A body over the documented size limit, refused before it is parsed. */
export class RequestEntityTooLargeException extends SsmError {
  readonly code = "RequestEntityTooLargeException";
  override readonly status = 413;
}

// Documents
export class DocumentAlreadyExists extends SsmError {
  readonly code = "DocumentAlreadyExists";
}
export class InvalidDocument extends SsmError {
  readonly code = "InvalidDocument";
}
export class InvalidDocumentVersion extends SsmError {
  readonly code = "InvalidDocumentVersion";
}
export class InvalidDocumentContent extends SsmError {
  readonly code = "InvalidDocumentContent";
}
export class InvalidDocumentSchemaVersion extends SsmError {
  readonly code = "InvalidDocumentSchemaVersion";
}
export class InvalidDocumentType extends SsmError {
  readonly code = "InvalidDocumentType";
}
/** GetCalendarState: "The calendar entry contained in the specified SSM document isn't supported." */
export class UnsupportedCalendarException extends SsmError {
  readonly code = "UnsupportedCalendarException";
}
export class InvalidDocumentOperation extends SsmError {
  readonly code = "InvalidDocumentOperation";
}
export class DocumentPermissionLimit extends SsmError {
  readonly code = "DocumentPermissionLimit";
}
export class DuplicateDocumentContent extends SsmError {
  readonly code = "DuplicateDocumentContent";
}
export class DuplicateDocumentVersionName extends SsmError {
  readonly code = "DuplicateDocumentVersionName";
}
export class MaxDocumentSizeExceeded extends SsmError {
  readonly code = "MaxDocumentSizeExceeded";
}
export class DocumentLimitExceeded extends SsmError {
  readonly code = "DocumentLimitExceeded";
}
export class DocumentVersionLimitExceeded extends SsmError {
  readonly code = "DocumentVersionLimitExceeded";
}
export class AssociatedInstances extends SsmError {
  readonly code = "AssociatedInstances";
}
export class TooManyUpdates extends SsmError {
  readonly code = "TooManyUpdates";
}

// Listing and tagging
export class InvalidNextToken extends SsmError {
  readonly code = "InvalidNextToken";
}
export class InvalidFilterKey extends SsmError {
  readonly code = "InvalidFilterKey";
}
export class InvalidResourceType extends SsmError {
  readonly code = "InvalidResourceType";
}
export class InvalidResourceId extends SsmError {
  readonly code = "InvalidResourceId";
}
export class TooManyTagsError extends SsmError {
  readonly code = "TooManyTagsError";
}

// Managed nodes and activations
export class InvalidActivation extends SsmError {
  readonly code = "InvalidActivation";
}
export class InvalidActivationId extends SsmError {
  readonly code = "InvalidActivationId";
}
export class ActivationExpired extends SsmError {
  readonly code = "ActivationExpired";
}
export class RegistrationLimitExceeded extends SsmError {
  readonly code = "RegistrationLimitExceeded";
}
export class InvalidPublicKey extends SsmError {
  readonly code = "InvalidPublicKey";
}
export class PublicKeyAlreadyRegistered extends SsmError {
  readonly code = "PublicKeyAlreadyRegistered";
}
export class InvalidInstanceId extends SsmError {
  readonly code = "InvalidInstanceId";
}
export class InvalidInstanceInformationFilterValue extends SsmError {
  readonly code = "InvalidInstanceInformationFilterValue";
}
export class InvalidFilter extends SsmError {
  readonly code = "InvalidFilter";
}
export class InvalidParameters extends SsmError {
  readonly code = "InvalidParameters";
}
export class MachineFingerprintDoesNotMatch extends SsmError {
  readonly code = "MachineFingerprintDoesNotMatch";
}
/** A caller acting beyond what its credentials allow, e.g. a node speaking for another node. */
export class AccessDeniedException extends SsmError {
  readonly code = "AccessDeniedException";
}

// Associations
export class AssociationAlreadyExists extends SsmError {
  readonly code = "AssociationAlreadyExists";
}
export class AssociationLimitExceeded extends SsmError {
  readonly code = "AssociationLimitExceeded";
}
export class AssociationVersionLimitExceeded extends SsmError {
  readonly code = "AssociationVersionLimitExceeded";
}
export class AssociationDoesNotExist extends SsmError {
  readonly code = "AssociationDoesNotExist";
}
export class InvalidAssociationVersion extends SsmError {
  readonly code = "InvalidAssociationVersion";
}
/** StartAssociationsOnce: "The association isn't valid or doesn't exist." */
export class InvalidAssociation extends SsmError {
  readonly code = "InvalidAssociation";
}
export class AssociationExecutionDoesNotExist extends SsmError {
  readonly code = "AssociationExecutionDoesNotExist";
}
export class UnsupportedPlatformType extends SsmError {
  readonly code = "UnsupportedPlatformType";
}
export class InvalidOutputLocation extends SsmError {
  readonly code = "InvalidOutputLocation";
}
export class InvalidTarget extends SsmError {
  readonly code = "InvalidTarget";
}
export class InvalidTargetMaps extends SsmError {
  readonly code = "InvalidTargetMaps";
}
export class InvalidSchedule extends SsmError {
  readonly code = "InvalidSchedule";
}
export class InvalidTag extends SsmError {
  readonly code = "InvalidTag";
}
export class InvalidUpdate extends SsmError {
  readonly code = "InvalidUpdate";
}
export class DuplicateInstanceId extends SsmError {
  readonly code = "DuplicateInstanceId";
}
export class StatusUnchanged extends SsmError {
  readonly code = "StatusUnchanged";
}

// Run Command
export class InvalidCommandId extends SsmError {
  readonly code = "InvalidCommandId";
}
export class InvocationDoesNotExist extends SsmError {
  readonly code = "InvocationDoesNotExist";
}
export class InvalidPluginName extends SsmError {
  readonly code = "InvalidPluginName";
}
export class InvalidOutputFolder extends SsmError {
  readonly code = "InvalidOutputFolder";
}
export class InvalidRole extends SsmError {
  readonly code = "InvalidRole";
}
export class InvalidNotificationConfig extends SsmError {
  readonly code = "InvalidNotificationConfig";
}

// Compliance
export class InvalidItemContentException extends SsmError {
  readonly code = "InvalidItemContentException";
}
export class ComplianceTypeCountLimitExceededException extends SsmError {
  readonly code = "ComplianceTypeCountLimitExceededException";
}

// Inventory
/** Inventory errors the model gives a `TypeName` member carry it on the wire too. */
abstract class InventoryTypeError extends SsmError {
  constructor(
    message: string,
    readonly typeName?: string,
  ) {
    super(message);
  }
  override toJSON(): { __type: string; message?: string; TypeName?: string } {
    return this.typeName ? { ...super.toJSON(), TypeName: this.typeName } : super.toJSON();
  }
}
export class InvalidTypeNameException extends SsmError {
  readonly code = "InvalidTypeNameException";
}
export class ItemContentMismatchException extends InventoryTypeError {
  readonly code = "ItemContentMismatchException";
}
export class ItemSizeLimitExceededException extends InventoryTypeError {
  readonly code = "ItemSizeLimitExceededException";
}
export class UnsupportedInventoryItemContextException extends InventoryTypeError {
  readonly code = "UnsupportedInventoryItemContextException";
}
export class TotalSizeLimitExceededException extends SsmError {
  readonly code = "TotalSizeLimitExceededException";
}
export class CustomSchemaCountLimitExceededException extends SsmError {
  readonly code = "CustomSchemaCountLimitExceededException";
}
export class UnsupportedInventorySchemaVersionException extends SsmError {
  readonly code = "UnsupportedInventorySchemaVersionException";
}
export class InvalidInventoryItemContextException extends SsmError {
  readonly code = "InvalidInventoryItemContextException";
}
export class SubTypeCountLimitExceededException extends SsmError {
  readonly code = "SubTypeCountLimitExceededException";
}
export class InvalidAggregatorException extends SsmError {
  readonly code = "InvalidAggregatorException";
}
export class InvalidResultAttributeException extends SsmError {
  readonly code = "InvalidResultAttributeException";
}
// Parameter Store
export class ParameterNotFound extends SsmError {
  readonly code = "ParameterNotFound";
}
export class ParameterAlreadyExists extends SsmError {
  readonly code = "ParameterAlreadyExists";
}
export class ParameterLimitExceeded extends SsmError {
  readonly code = "ParameterLimitExceeded";
}
export class ParameterMaxVersionLimitExceeded extends SsmError {
  readonly code = "ParameterMaxVersionLimitExceeded";
}
export class ParameterVersionNotFound extends SsmError {
  readonly code = "ParameterVersionNotFound";
}
export class ParameterVersionLabelLimitExceeded extends SsmError {
  readonly code = "ParameterVersionLabelLimitExceeded";
}
export class HierarchyLevelLimitExceededException extends SsmError {
  readonly code = "HierarchyLevelLimitExceededException";
}
export class InvalidAllowedPatternException extends SsmError {
  readonly code = "InvalidAllowedPatternException";
}
export class ParameterPatternMismatchException extends SsmError {
  readonly code = "ParameterPatternMismatchException";
}
export class InvalidKeyId extends SsmError {
  readonly code = "InvalidKeyId";
}
export class InvalidFilterValue extends SsmError {
  readonly code = "InvalidFilterValue";
}
export class InvalidFilterOption extends SsmError {
  readonly code = "InvalidFilterOption";
}
export class InvalidPolicyTypeException extends SsmError {
  readonly code = "InvalidPolicyTypeException";
}
export class InvalidPolicyAttributeException extends SsmError {
  readonly code = "InvalidPolicyAttributeException";
}
export class PoliciesLimitExceededException extends SsmError {
  readonly code = "PoliciesLimitExceededException";
}
