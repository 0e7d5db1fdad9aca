/** Agent-facing, unsigned: the SSM Agent registers with an activation id and code. */
import type { RegistrationRequest } from "../shared/domain/nodes/nodes.ts";
import { unsignedOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { RegisterManagedInstance } from "../shared/validation/generated/operations/RegisterManagedInstance.ts";

export const handler = unsignedOperation<RegistrationRequest, { InstanceId: string }>(
  RegisterManagedInstance,
  (request, _context, runtime) => runtime.get(nodes).register(request),
);
