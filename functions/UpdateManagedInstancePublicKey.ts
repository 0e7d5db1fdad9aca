/** Agent-facing: a registered node, signing with its current RSA key, replaces that key. */
import { nodeSignedOperation } from "../shared/handler.ts";
import { UpdateManagedInstancePublicKey } from "../shared/validation/generated/operations/UpdateManagedInstancePublicKey.ts";

export const handler = nodeSignedOperation<{ NewPublicKey: string; NewPublicKeyType: "Rsa" }, Record<string, never>>(
  UpdateManagedInstancePublicKey,
  async (request, context, services) => {
    await services.nodes.rotatePublicKey(context.identity, request.NewPublicKey, request.NewPublicKeyType);
    return {};
  },
);
