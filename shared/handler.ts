/**
 * Handler wiring: the three ways an operation's caller proves who it is, each bound to the
 * protocol stack (shared/protocol/operation.ts) and to the process's runtime
 * (shared/services/runtime.ts). A function file names its operation and calls one service,
 * which it takes from the runtime by its part:
 *
 *   import { documentRegistry } from "../shared/services/document-registry.ts";
 *   import { ListDocuments } from "../shared/validation/generated/operations/ListDocuments.ts";
 *   export const handler = ssmOperation<Req, Res>(ListDocuments, (request, context, runtime) =>
 *     runtime.get(documentRegistry).list(context, request));
 *
 * The operation is named by its generated model module and the service by its part, so the
 * bundle carries that operation's shapes and that service (with what it is built on) only.
 *
 * The runtime is looked up per request, not at import, so a test or the admin command can
 * install its own first.
 */
import { nodeArn, nodeMay, notAuthorized, notAuthorizedOn, resourceArn } from "./auth/node-policy.ts";
import { verifyNodeSignature } from "./auth/node-signature.ts";
import { ActsForAnotherNode, type RequestContext } from "./context.ts";
import { nodeIdentity } from "./domain/nodes/identity.ts";
import type { NodeIdentityRecord } from "./domain/nodes/records.ts";
import {
  type AnonymousContext,
  type Authenticate,
  type OperationHandler,
  operationHandler,
} from "./protocol/operation.ts";
import { signedRequest } from "./protocol/signed-request.ts";
import { signingServiceOf } from "./protocol/targets.ts";
import { type Caller, nodeCaller, observedTask, observer, signedCaller } from "./request-observer.ts";
import { authenticator } from "./services/accounts.ts";
import { nodeStore } from "./services/node-store.ts";
import { type Runtime, runtime } from "./services/runtime.ts";
import type { OperationModel } from "./validation/model-types.ts";

export type { OperationHandler } from "./protocol/operation.ts";
export type { AnonymousContext };

/** A request signed by a registered node with its RSA key. */
export type NodeSignedContext = AnonymousContext & { readonly identity: NodeIdentityRecord; readonly region: string };

type Run<Input, Output, C> = (input: Input, context: C, runtime: Runtime) => Promise<Output>;

/**
 * The protocol stack with this authentication, running the operation with the process's runtime,
 * each answered request observed (its log line, metrics: request-observer.ts) with its caller as
 * `callerOf` names it.
 */
function wired<Input, Output, C>(
  operation: OperationModel,
  authenticate: Authenticate<C>,
  run: Run<Input, Output, C>,
  callerOf: (context: C) => Caller | undefined,
): OperationHandler {
  return operationHandler(
    operation,
    authenticate,
    (input: Input, context: C) => run(input, context, runtime()),
    observer(callerOf),
  );
}

/**
 * An operation called with account or node credentials, verified with SigV4: nearly all of them.
 * The signature must be scoped to the operation's own service (`ssm`, or `ec2messages` for the
 * message delivery operations), so neither service's operations answer the other's signatures.
 */
export function ssmOperation<Input, Output>(
  operation: OperationModel,
  run: Run<Input, Output, RequestContext>,
): OperationHandler {
  return wired(
    operation,
    async (event, body, base): Promise<RequestContext> => {
      const current = runtime();
      const principal = await (await current.get(authenticator)).authenticate(
        signedRequest(event, body, current.signedHostHeader),
        signingServiceOf(operation.name),
      );
      return { ...base, accountId: principal.accountId, region: principal.region, principal };
    },
    async (input: Input, context: RequestContext, current: Runtime) => {
      await assertNodeMay(operation.name, input, context, current);
      try {
        return await run(input, context, current);
      } catch (error) {
        if (error instanceof ActsForAnotherNode) throw await actsForAnother(operation.name, error, context, current);
        throw error;
      }
    },
    (context) => signedCaller(context.principal),
  );
}

/**
 * Node credentials may perform only the actions of their instance role's policy
 * (auth/node-policy.ts): checked here, once, on the validated request, before the operation
 * runs. Only a refusal reads anything (the node's activation role, which the message names), from
 * the node store itself, so that every function does not carry the nodes service for it.
 */
async function assertNodeMay(operation: string, input: unknown, context: RequestContext, current: Runtime) {
  const { nodeId } = context.principal;
  const action = `${signingServiceOf(operation)}:${operation}`;
  if (!nodeId || nodeMay(action)) return;
  const role = (await current.get(nodeStore).getNode(context, nodeId))?.IamRole;
  const resource = resourceArn(operation, (input ?? {}) as Record<string, unknown>, context);
  throw notAuthorized({ accountId: context.accountId, nodeId, role }, action, resource);
}

/**
 * Node credentials naming another node (`assertMayActFor`): IAM's refusal, naming the node's
 * role (one read, only for a refusal) and the other node's ARN.
 */
async function actsForAnother(
  operation: string,
  error: ActsForAnotherNode,
  context: RequestContext,
  current: Runtime,
): Promise<Error> {
  const role = (await current.get(nodeStore).getNode(context, error.nodeId))?.IamRole;
  const action = `${signingServiceOf(operation)}:${operation}`;
  return notAuthorizedOn(
    { accountId: context.accountId, nodeId: error.nodeId, role },
    action,
    nodeArn(error.instanceId, context),
  );
}

/** An operation the SSM Agent calls before it has any credentials (registration). */
export function unsignedOperation<Input, Output>(
  operation: OperationModel,
  run: Run<Input, Output, AnonymousContext>,
): OperationHandler {
  return wired(
    operation,
    async (_event, _body, base) => base,
    run,
    () => undefined,
  );
}

/** An operation a registered node signs with its RSA key (to get credentials, or rotate the key). */
export function nodeSignedOperation<Input, Output>(
  operation: OperationModel,
  run: Run<Input, Output, NodeSignedContext>,
): OperationHandler {
  return wired(
    operation,
    async (event, body, base): Promise<NodeSignedContext> => {
      const current = runtime();
      const verified = await verifyNodeSignature(
        signedRequest(event, body, current.signedHostHeader),
        (instanceId) => nodeIdentity(current.get(nodeStore), instanceId),
        new Date(),
      );
      return { ...base, ...verified };
    },
    run,
    ({ identity, region }) => nodeCaller({ accountId: identity.AccountId, region }, identity.InstanceId),
  );
}

/**
 * A task EventBridge invokes on a schedule (the scheduler): no request and no caller to
 * authenticate, only the process's runtime; its line and metrics are a request's, named `name`.
 */
export function scheduledTask<Output>(name: string, run: (runtime: Runtime) => Promise<Output>): () => Promise<Output> {
  return () => observedTask(name, () => run(runtime()));
}
