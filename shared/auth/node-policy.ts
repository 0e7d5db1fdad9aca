/**
 * What a managed node's own credentials may do. On AWS a node calls the service with its
 * instance role (for a hybrid node, the IAM role its activation names), which is typically given
 * the AWS managed policy AmazonSSMManagedInstanceCore; this service gives node credentials
 * exactly that policy's actions, and refuses every other action as IAM refuses an action no
 * identity-based policy allows.
 *
 * Source of the action list: AWS Managed Policy Reference, "AmazonSSMManagedInstanceCore",
 * policy version v2 (the default; created 2019-03-15, edited 2019-05-23),
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
 * Three statements, all on Resource "*": the fifteen `ssm:` actions below, four `ssmmessages:`
 * and six `ec2messages:` actions. Actions of operations this service does not serve (GetManifest,
 * PutConfigurePackageResult, GetDeployablePatchSnapshotForInstance, the ssmmessages channels,
 * GetEndpoint) are listed all the same: the table is the policy, not the service.
 *
 * Checked once per request (shared/handler.ts), after the request is validated and before the
 * operation runs. What an allowed action may touch is the operation's business: the per-node
 * ones act only for the caller's node (`assertMayActFor`, shared/context.ts) and the account-wide
 * association reads show only the node's own associations (domain/associations/node-view.ts).
 */
import { AccessDeniedException } from "../errors.ts";

/** AmazonSSMManagedInstanceCore v2, statement by statement. */
export const INSTANCE_CORE_ACTIONS: ReadonlySet<string> = new Set([
  "ssm:DescribeAssociation",
  "ssm:GetDeployablePatchSnapshotForInstance",
  "ssm:GetDocument",
  "ssm:DescribeDocument",
  "ssm:GetManifest",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:ListAssociations",
  "ssm:ListInstanceAssociations",
  "ssm:PutInventory",
  "ssm:PutComplianceItems",
  "ssm:PutConfigurePackageResult",
  "ssm:UpdateAssociationStatus",
  "ssm:UpdateInstanceAssociationStatus",
  "ssm:UpdateInstanceInformation",

  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",

  "ec2messages:AcknowledgeMessage",
  "ec2messages:DeleteMessage",
  "ec2messages:FailMessage",
  "ec2messages:GetEndpoint",
  "ec2messages:GetMessages",
  "ec2messages:SendReply",
]);

/** Whether node credentials may perform `action` (`<service>:<Operation>`). */
export function nodeMay(action: string): boolean {
  return INSTANCE_CORE_ACTIONS.has(action);
}

/** Who the node's credentials are, as STS names an assumed role's session. */
export type NodeCaller = { accountId: string; nodeId: string; role: string | undefined };

/** The role hybrid activations are documented with, for a node whose activation is gone. */
const DEFAULT_ROLE = "SSMServiceRole";

/**
 * `arn:aws:sts::<account>:assumed-role/<role>/<instance id>`: the session of a node's instance
 * role is named by the instance id (e.g. cluster-api-provider-aws issue 3361, an agent's
 * `assumed-role/nodes.cluster-api-provider-aws.sigs.k8s.io/i-00b1697e6df160fe9`). An activation's
 * role may carry a path ("service-role/Name"); an assumed-role ARN names the role only.
 */
export function assumedRoleArn(caller: NodeCaller): string {
  const role = (caller.role ?? DEFAULT_ROLE).split("/").at(-1) || DEFAULT_ROLE;
  return `arn:aws:sts::${caller.accountId}:assumed-role/${role}/${caller.nodeId}`;
}

/**
 * IAM's refusal of an action no identity-based policy allows, in AWS's wording since 2021, e.g.
 * (prowler issue 1016) "User: arn:aws:sts::123412341234:assumed-role/ProwlerExecRole/
 * ProwlerAssessmentSession is not authorized to perform: ssm:GetDocument on resource:
 * arn:aws:ssm:sa-east-1:123412341234:document/AWSQuickSetup-... because no identity-based policy
 * allows the ssm:GetDocument action" (terraform-aws-github-runner issue 3289 has the same with a
 * node's `assumed-role/<role>/i-...` and a parameter ARN).
 */
export function notAuthorized(caller: NodeCaller, action: string, resource: string): AccessDeniedException {
  return new AccessDeniedException(
    `User: ${assumedRoleArn(caller)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}

/**
 * IAM's refusal of an action on a resource the caller's policy allows in general but not here:
 * node credentials naming another node (`assertMayActFor`, shared/context.ts). The policy's
 * actions are on `Resource: "*"`, so the message has no "because no identity-based policy ..."
 * reason; AWS's wording for a node's call on an instance, e.g. (amazon-ssm-agent issue 374)
 * "User: arn:aws:sts::1111111111:assumed-role/AmazonSSMRoleForInstancesQuickSetup/i-11111111111
 * is not authorized to perform: ssm:UpdateInstanceInformation on resource:
 * arn:aws:ec2:eu-central-1:1111111111:instance/i-111111111111".
 */
export function notAuthorizedOn(caller: NodeCaller, action: string, resource: string): AccessDeniedException {
  return new AccessDeniedException(
    `User: ${assumedRoleArn(caller)} is not authorized to perform: ${action} on resource: ${resource}`,
  );
}

type Scope = { accountId: string; region: string };

/** A node's ARN as IAM names it: an EC2 instance (`i-`), or a managed instance (`mi-`). */
export function nodeArn(instanceId: string, scope: Scope): string {
  return instanceId.startsWith("i-")
    ? `arn:aws:ec2:${scope.region}:${scope.accountId}:instance/${instanceId}`
    : `arn:aws:ssm:${scope.region}:${scope.accountId}:managed-instance/${instanceId}`;
}
type Input = Record<string, unknown>;

/** The operations whose `Name` / `Names` / `Path` name a parameter, not a document. */
const PARAMETER_OPERATIONS: ReadonlySet<string> = new Set([
  "PutParameter",
  "GetParameter",
  "GetParameters",
  "GetParametersByPath",
  "GetParameterHistory",
  "DeleteParameter",
  "DeleteParameters",
  "LabelParameterVersion",
]);

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const first = (value: unknown): string | undefined => (Array.isArray(value) ? text(value[0]) : undefined);

/**
 * The resource a refusal names: the ARN of the first resource the request names, by IAM's
 * resource types for Systems Manager (Service Authorization Reference: association,
 * document, managed-instance, parameter; an EC2 instance for an `i-` id); for a request that
 * names none (CreateActivation, the List and Describe operations, the message channel)
 * `arn:aws:ssm:<region>:<account>:*`, which is what IAM names for an action without a resource
 * (cluster-api-provider-aws issue 3361: "... ec2messages:GetMessages on resource:
 * arn:aws:ssm:eu-west-1:<account>:*"). A name given as an ARN is named as given.
 */
export function resourceArn(operation: string, input: Input, scope: Scope): string {
  const arn = (type: string, id: string) =>
    id.startsWith("arn:") ? id : `arn:aws:ssm:${scope.region}:${scope.accountId}:${type}/${id}`;
  const instance = (id: string) => (id.startsWith("arn:") ? id : nodeArn(id, scope));
  if (PARAMETER_OPERATIONS.has(operation)) {
    const name = (text(input.Name) ?? first(input.Names) ?? text(input.Path))?.trim();
    if (name) return arn("parameter", name.startsWith("/") ? name.slice(1) : name);
  }
  const associationId = text(input.AssociationId) ?? first(input.AssociationIds);
  if (associationId) return arn("association", associationId);
  const resourceId = text(input.ResourceId);
  if (resourceId) {
    switch (input.ResourceType) {
      case "Document":
        return arn("document", resourceId);
      case "ManagedInstance":
        return instance(resourceId);
      case "Parameter":
        return arn("parameter", resourceId.startsWith("/") ? resourceId.slice(1) : resourceId);
      case "Association":
        return arn("association", resourceId);
    }
  }
  const documentName = text(input.Name);
  if (documentName) return arn("document", documentName);
  const instanceId = text(input.InstanceId);
  if (instanceId) return instance(instanceId);
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:*`;
}
