/**
 * The SSM Agent's association compliance upload, replayed as the agent builds it
 * (aws/amazon-ssm-agent, agent/association/compliance/uploader/uploader.go UpdateAssociationCompliance
 * and ConvertToSsmAssociationComplianceItems; agent/association/compliance/model/model.go
 * UpdateAssociationComplianceItem; agent/ssm/service.go PutComplianceItems):
 *
 * - after a run that ended Success, Failed or TimedOut, the agent updates its in-memory entry for
 *   the association (only when the new execution time is later) and uploads ALL its entries as
 *   compliance type Association (no UploadType: COMPLETE), ExecutionId and ExecutionType "";
 * - ItemContentHash is base64(MD5(json.Marshal(entries))), and the entries carry each run's
 *   ExecutionTime (processor.go passes time.Now().UTC()), so each new run sends a new hash;
 * - when the hash equals the one it last uploaded (its optimizer's file), it sends that hash with
 *   Items [] ("we can just send content hash"): that request must be ignored, not wipe the items.
 */
import { createHash } from "node:crypto";
import { goMarshal } from "./go-json.ts";
import type { Identity } from "./identity.ts";
import { type Answer, invoke } from "./invoke.ts";

/** model.AssociationComplianceItem, in its struct's field order. */
type Entry = {
  AssociationId: string;
  ExecutionTime: string;
  DocumentName: string;
  DocumentVersion: string;
  Title: string;
  ComplianceSeverity: string;
  ComplianceStatus: string;
};

/** Go's time.Time in JSON: RFC 3339 with the fraction's trailing zeros dropped (RFC3339Nano). */
const goTime = (time: Date) => time.toISOString().replace(/\.?0+Z$/, "Z");

export class AgentComplianceUploader {
  private readonly entries: Entry[] = [];
  /** The optimizer's stored hash (appconfig.ComplianceContentHashFileName). */
  private lastHash = "";

  constructor(private readonly node: { id: string; identity: Identity }) {}

  /** What the agent sends after a run of `associationId` that ended `status` at `executionTime`. */
  request(associationId: string, documentName: string, documentVersion: string, status: string, executionTime: Date) {
    const entry: Entry = {
      AssociationId: associationId,
      ExecutionTime: goTime(executionTime),
      DocumentName: documentName,
      DocumentVersion: documentVersion,
      Title: "",
      ComplianceSeverity: "UNSPECIFIED",
      ComplianceStatus: status === "Success" ? "COMPLIANT" : "NON_COMPLIANT",
    };
    const at = this.entries.findIndex((e) => e.AssociationId === associationId);
    const known = this.entries[at];
    if (!known) this.entries.push(entry);
    else if (Date.parse(known.ExecutionTime) < executionTime.getTime()) this.entries[at] = entry;
    const hash = createHash("md5").update(goMarshal(this.entries)).digest("base64");
    const unchanged = hash === this.lastHash;
    return {
      hash,
      body: {
        ComplianceType: "Association",
        // aws-sdk-go's JSON protocol: epoch seconds, to the millisecond.
        ExecutionSummary: { ExecutionId: "", ExecutionTime: executionTime.getTime() / 1000, ExecutionType: "" },
        ItemContentHash: hash,
        Items: unchanged
          ? []
          : this.entries.map((e) => ({
              Details: { DocumentName: e.DocumentName, DocumentVersion: e.DocumentVersion },
              Id: e.AssociationId,
              Severity: e.ComplianceSeverity,
              Status: e.ComplianceStatus,
              Title: e.Title,
            })),
        ResourceId: this.node.id,
        ResourceType: "ManagedInstance",
      },
    };
  }

  /** Sends it through the real handler with the node's credentials; remembers the hash on success. */
  async upload(
    associationId: string,
    documentName: string,
    documentVersion: string,
    status: string,
    executionTime: Date,
  ): Promise<Answer> {
    const { hash, body } = this.request(associationId, documentName, documentVersion, status, executionTime);
    const answer = await invoke("PutComplianceItems", body, { identity: this.node.identity });
    if (answer.status === 200) this.lastHash = hash;
    return answer;
  }
}
