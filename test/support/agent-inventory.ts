/**
 * Inventory as the SSM Agent uploads it (agent/plugins/inventory/datauploader/uploader.go in
 * amazon-ssm-agent): AWS:InstanceInformation and AWS:Application items, each with a ContentHash
 * (base64 MD5 of the content's JSON); the next run sends an unchanged type as its hash alone (the
 * "optimized" item, no Content).
 */
import { createHash } from "node:crypto";

export const hashOf = (content: unknown) => createHash("md5").update(JSON.stringify(content)).digest("base64");

// Go marshals struct fields in declaration order (model.InstanceInformation, model.ApplicationData).
export const instanceInformation = (instanceId: string) => [
  {
    AgentStatus: "Active",
    AgentVersion: "3.3.1142.0",
    ComputerName: "node-1.example",
    PlatformName: "Ubuntu",
    PlatformType: "Linux",
    PlatformVersion: "22.04",
    InstanceId: instanceId,
    IpAddress: "10.0.0.12",
  },
];
export const applications = [
  {
    Name: "bash",
    Publisher: "Ubuntu Developers",
    Version: "5.1-6ubuntu1",
    InstalledTime: "2026-01-05T10:00:00Z",
    ApplicationType: "shells",
    Architecture: "x86_64",
    URL: "http://tiswww.case.edu/php/chet/bash/bashtop.html",
    Summary: "GNU Bourne Again SHell",
    PackageId: "bash_5.1-6ubuntu1_amd64.deb",
  },
  {
    Name: "curl",
    Publisher: "Ubuntu Developers",
    Version: "7.81.0-1ubuntu1.16",
    ApplicationType: "web",
    Architecture: "x86_64",
    Summary: "command line tool for transferring data with URL syntax",
    PackageId: "curl_7.81.0-1ubuntu1.16_amd64.deb",
  },
  {
    Name: "openssl",
    Publisher: "Ubuntu Developers",
    Version: "3.0.2-0ubuntu1.15",
    ApplicationType: "utils",
    Architecture: "x86_64",
    PackageId: "openssl_3.0.2-0ubuntu1.15_amd64.deb",
  },
];

/** The agent's PutInventory body: Go SDK member order (InstanceId, Items; item members A-Z). */
export function agentInventoryBody(instanceId: string, captureTime: string, optimized: boolean): string {
  const item = (typeName: string, schemaVersion: string, content: unknown) => ({
    CaptureTime: captureTime,
    ...(optimized ? {} : { Content: content }),
    ContentHash: hashOf(content),
    SchemaVersion: schemaVersion,
    TypeName: typeName,
  });
  return JSON.stringify({
    InstanceId: instanceId,
    Items: [
      item("AWS:InstanceInformation", "1.0", instanceInformation(instanceId)),
      item("AWS:Application", "1.1", applications),
    ],
  });
}
