/** Parameter Store: a part of the runtime (runtime.ts). */
import { ADVANCED_PARAMETER_LIMIT, Parameters, STANDARD_PARAMETER_LIMIT } from "../domain/parameters/parameters.ts";
import { DynamoParameterStore } from "../store/parameter-store.ts";
import type { Runtime } from "./runtime.ts";

export const parameterStore = (r: Runtime) => new DynamoParameterStore(r.db, r.tableName);

/** SecureString values are sealed with the same key as credential secrets, which may have to be loaded first. */
export const parameters = async (r: Runtime) =>
  new Parameters(r.get(parameterStore), await r.box(), {
    Standard: r.options.parameterLimit ?? STANDARD_PARAMETER_LIMIT,
    Advanced: ADVANCED_PARAMETER_LIMIT,
  });
