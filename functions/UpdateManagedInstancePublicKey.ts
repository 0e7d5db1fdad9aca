/** Agent-facing: a registered node, signing with its current RSA key, replaces that key. */
import { nodeSignedOperation } from "../shared/handler.ts";
import { nodes } from "../shared/services/nodes.ts";
import { UpdateManagedInstancePublicKey } from "../shared/validation/generated/operations/UpdateManagedInstancePublicKey.ts";

export const handler = nodeSignedOperation<{ NewPublicKey: string; NewPublicKeyType: "Rsa" }, Record<string, never>>(
  UpdateManagedInstancePublicKey,
  async (request, context, runtime) => {
    await runtime.get(nodes).rotatePublicKey(context.identity, request.NewPublicKey, request.NewPublicKeyType);
    return {};
  },
);
