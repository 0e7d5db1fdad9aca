/**
 * The associations domain's errors with AWS's wording, built once here: the domain and the
 * association stores (which map a failed condition to one of these) both use them.
 */
import {
  AssociationAlreadyExists,
  AssociationDoesNotExist,
  AssociationLimitExceeded,
  InvalidAssociationVersion,
  ThrottlingException,
  TooManyUpdates,
} from "../../errors.ts";

export const associationNotFound = (id: string) => new AssociationDoesNotExist(`Association ${id} does not exist.`);
/** A legacy association named by its document and node. */
export const legacyAssociationNotFound = (documentName: string, instanceId: string) =>
  new AssociationDoesNotExist(`Association with document ${documentName} and instance ${instanceId} does not exist.`);
export const associationTooManyUpdates = () =>
  new TooManyUpdates("Too many updates to the association. Try again later.");
/**
 * A node's report that lost a race with its own other report (the same status sent twice at
 * once), or with an edit of a legacy association: retried by the service on fresh reads, and
 * only if it still loses, answered as throttling, which the agent retries (issue 26: never
 * TooManyUpdates, which the agent drops; TooManyUpdates is an operator's concurrent edits).
 */
export const reportRaced = () => new ThrottlingException("Rate exceeded");
export const associationLimitExceeded = (limit: number) =>
  new AssociationLimitExceeded(`You can have at most ${limit} active associations.`);
export const associationAlreadyExists = () => new AssociationAlreadyExists("The specified association already exists.");
export const invalidAssociationVersion = (version: string) =>
  new InvalidAssociationVersion(
    `Association version ${version} is not valid. Use ListAssociationVersions to view all versions of an association according to the association ID. Or, use the $LATEST parameter to view the latest version of the association.`,
  );
