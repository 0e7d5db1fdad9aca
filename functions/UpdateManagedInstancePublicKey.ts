/** Agent-facing: a registered node, signing with its current RSA key, replaces that key. */
import { nodeSignedOperation } from "../shared/protocol/operation.ts";
import { nodes } from "../shared/runtime.ts";

export const handler = nodeSignedOperation<{ NewPublicKey: string; NewPublicKeyType: "Rsa" }, Record<string, never>>(
  "UpdateManagedInstancePublicKey",
  async (request, context) => {
    await nodes().rotatePublicKey(context.identity, request.NewPublicKey, request.NewPublicKeyType);
    return {};
  },
);
