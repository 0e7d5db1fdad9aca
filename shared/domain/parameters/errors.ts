/**
 * The messages of Parameter Store's errors, in AWS's wording where AWS publishes it (cited), and
 * in AWS's style where it does not: each a factory returning the error to throw.
 */
import {
  AccessDeniedException,
  HierarchyLevelLimitExceededException,
  InvalidAllowedPatternException,
  InvalidKeyId,
  ParameterAlreadyExists,
  ParameterLimitExceeded,
  ParameterMaxVersionLimitExceeded,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionLabelLimitExceeded,
  ParameterVersionNotFound,
  ValidationException,
} from "../../errors.ts";

/** GetParameter/DeleteParameter answer `ParameterNotFound` with an empty message (`... operation: `). */
export const parameterNotFound = () => new ParameterNotFound("");

/** As AWS answers (seen in aws-cli and SDK issue reports). */
export const parameterAlreadyExists = () =>
  new ParameterAlreadyExists(
    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
  );

/** The ParameterLimitExceeded exception's documented description. */
export const parameterLimitExceeded = () =>
  new ParameterLimitExceeded(
    "You have exceeded the number of parameters for this AWS account. Delete one or more parameters and try again.",
  );

/** Quoted in the ParameterMaxVersionLimitExceeded documentation (API reference, every SDK). */
export const maxVersionLimitExceeded = (name: string, oldest: number) =>
  new ParameterMaxVersionLimitExceeded(
    `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. ` +
      `Version ${oldest}, the oldest version, can't be deleted because it has a label associated with it. ` +
      "Move the label to another version of the parameter, and try again.",
  );

export const versionNotFound = (name: string, version: number | string) =>
  new ParameterVersionNotFound(
    `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
  );

export const labelLimitExceeded = () =>
  new ParameterVersionLabelLimitExceeded(
    "A parameter version can have maximum 10 labels. Move one or more labels to another version and try again.",
  );

/** The HierarchyLevelLimitExceededException documentation. */
export const hierarchyLevelLimit = () =>
  new HierarchyLevelLimitExceededException(
    "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.",
  );

/** As AWS answers for a name it does not accept (reports in aws-sdk-js-v3#5005, localstack#7712). */
export const invalidName = (prefix: "aws" | "ssm") =>
  new ValidationException(
    `Parameter name: can't be prefixed with "${prefix}" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`,
  );

/** A plain (not path) name with a reserved prefix. */
export const reservedName = () =>
  new ValidationException(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`);

export const reservedPath = (name: string) =>
  new AccessDeniedException(`No access to reserved parameter name: ${name}.`);

/** As AWS answers (terraform-provider-aws#18550, moto#4283). */
export const tagsWithOverwrite = () =>
  new ValidationException(
    "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
  );

export const standardValueTooLarge = (max: number) =>
  new ValidationException(
    `Standard tier parameters support a maximum parameter value of ${max} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`,
  );

export const advancedValueTooLarge = (max: number) =>
  new ValidationException(`Advanced tier parameters support a maximum parameter value of ${max} characters.`);

export const noDowngrade = () =>
  new ValidationException(
    "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
  );

export const policiesNeedAdvanced = () =>
  new ValidationException(
    "Parameter policies are supported only for advanced parameters. Use the advanced-parameter tier or Intelligent-Tiering to attach policies.",
  );

export const typeRequired = () => new ValidationException("A parameter type is required when you create a parameter.");

export const patternMismatch = (pattern: string) =>
  new ParameterPatternMismatchException(`Parameter value, cannot be validated against allowedPattern: ${pattern}`);

export const invalidAllowedPattern = () =>
  new InvalidAllowedPatternException("The request does not meet the regular expression requirement.");

export const invalidKeyId = () => new InvalidKeyId("The query key ID isn't valid.");

export const keyIdNotSecure = () => new ValidationException("KeyId is valid only for parameters of type SecureString.");

export const unsupportedDataType = (dataType: string) =>
  new ValidationException(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);

export const notAnImage = (value: string) =>
  new ValidationException(
    `Parameter value, ${value}, must be an Amazon Machine Image (AMI) ID in the format ami-12345abcdeEXAMPLE for the aws:ec2:image data type.`,
  );

export const imageNeedsString = () =>
  new ValidationException("The aws:ec2:image data type is valid only for parameters of type String.");

export const emptyValue = () =>
  new ValidationException(
    "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
  );

export const filtersAndParameterFilters = () =>
  new ValidationException("You can use either Filters or ParameterFilters in a single request.");
