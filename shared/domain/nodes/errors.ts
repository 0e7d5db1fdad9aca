/**
 * The nodes domain's errors with AWS's wording, built once here: the domain, the node store and
 * the node-signature check (through the domain) all use them.
 */
import { InvalidActivation, InvalidInstanceId, TooManyUpdates } from "../../errors.ts";

export const invalidActivation = () =>
  new InvalidActivation("Activation ID or activation code is not valid, or the activation has been deleted.");
/** A deregistered (or never registered) node, as AWS words it to the agent. */
export const nodeNotFound = (instanceId: string) => new InvalidInstanceId(`Not existing InstanceId ${instanceId}`);
/** A node id named in a request that is not a node of the caller's account and region. */
export const notAManagedNode = (instanceId: string) =>
  new InvalidInstanceId(`Instance ${instanceId} is not a managed node of this account.`);
/** DescribeInstanceInformation's wording for an id it was asked for and does not know. */
export const unknownNode = (instanceId: string) =>
  new InvalidInstanceId(`Instance ${instanceId} is not a managed node.`);
export const nodeTooManyUpdates = () => new TooManyUpdates("Too many updates to the managed node. Try again later.");
