/**
 * Run Command's errors with AWS's wording where it is published: `InvocationDoesNotExist` comes
 * with no message at all (the answer boto3 users know from polling an invocation right after
 * SendCommand: "An error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation
 * operation: "), and SendCommand's InvalidInstanceId names the nodes as "Instances [[<ids>]] not
 * in a valid state for account <id>". The rest follow the model's documentation of each error.
 */
import {
  DuplicateInstanceId,
  InvalidCommandId,
  InvalidDocument,
  InvalidInstanceId,
  InvalidNotificationConfig,
  InvalidParameters,
  InvalidPluginName,
  InvalidRole,
  InvocationDoesNotExist,
  UnsupportedPlatformType,
  ValidationException,
} from "../../errors.ts";

export const invocationDoesNotExist = () => new InvocationDoesNotExist("");
export const invalidCommandId = () => new InvalidCommandId("");
export const invalidPluginName = () => new InvalidPluginName("");
export const nodesNotValid = (instanceIds: string[], accountId: string) =>
  new InvalidInstanceId(`Instances [[${instanceIds.join(", ")}]] not in a valid state for account ${accountId}`);
export const instanceNotInCommand = (instanceId: string) =>
  new InvalidInstanceId(`Instance ${instanceId} is not part of this command.`);
export const duplicateInstanceId = (instanceId: string) =>
  new DuplicateInstanceId(`Instance ID ${instanceId} is specified more than once.`);
export const targetsOrInstanceIds = () =>
  new ValidationException("Specify either InstanceIds or Targets, but not both.");
export const noTargets = () => new ValidationException("Either InstanceIds or Targets must be specified.");
export const notACommandDocument = (name: string, type: string) =>
  new InvalidDocument(`Document ${name} is of type ${type}: SendCommand runs documents of type Command only.`);
export const documentHashMismatch = () =>
  new InvalidDocument("The document hash doesn't match the hash of the document version.");
export const unsupportedHashType = () =>
  new InvalidDocument("Sha1 document hashes are no longer supported. Use Sha256.");
export const invalidTargetParameters = (message: string) => new InvalidParameters(message);
export const unsupportedPlatform = (document: string, nodes: string[]) =>
  new UnsupportedPlatformType(
    `The document ${document} doesn't support the platform type of managed nodes [${nodes.join(", ")}].`,
  );
export const invalidRole = (role: string) =>
  new InvalidRole(`The role ${role} isn't valid. Specify the ARN of an IAM role.`);
export const invalidNotificationConfig = (message: string) => new InvalidNotificationConfig(message);
