/** The executions domain's errors with AWS's wording (the model's documentation). */
import { AssociationExecutionDoesNotExist, InvalidAssociation, TooManyUpdates } from "../../errors.ts";

export const executionNotFound = (executionId: string) =>
  new AssociationExecutionDoesNotExist(
    `The specified execution ID ${executionId} doesn't exist. Verify the ID number and try again.`,
  );
export const invalidAssociation = (associationId: string) =>
  new InvalidAssociation(`The association ${associationId} isn't valid or doesn't exist.`);
export const executionTooManyUpdates = () =>
  new TooManyUpdates("Too many updates to the association execution. Try again later.");
