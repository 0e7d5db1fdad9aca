/** Error wording shared by several resources (each resource's own is in its folder's errors.ts). */
import { InvalidFilterKey, InvalidResourceId } from "../errors.ts";

export const invalidResourceId = (resourceId: string) =>
  new InvalidResourceId(`The resource ID ${resourceId} is not valid. Verify the ID and try again.`);
export const invalidFilterKey = (key: string) => new InvalidFilterKey(`The filter key ${key} is not valid.`);
