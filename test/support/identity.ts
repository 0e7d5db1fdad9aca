/**
 * Real credentials for tests, and SigV4 signing with the AWS SDK's own signer, so every request
 * a test sends is verified exactly as a client's would be.
 */
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

export type Identity = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region?: string;
};

/** The local default credentials every fresh table is given. */
export const DEFAULT_IDENTITY: Identity = { accessKeyId: "test", secretAccessKey: "test", region: "us-east-1" };

export const TEST_HOST = "ssm.test.local";

/** Signs a JSON 1.1 request as the SDK does; returns the headers to send. */
export async function signedHeaders(
  operation: string,
  body: string,
  identity: Identity = DEFAULT_IDENTITY,
  options: { signingDate?: Date; service?: string; host?: string; extraHeaders?: Record<string, string> } = {},
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      sessionToken: identity.sessionToken,
    },
    region: identity.region ?? "us-east-1",
    service: options.service ?? "ssm",
    sha256: Hash.bind(null, "sha256"),
  });
  const request = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: options.host ?? TEST_HOST,
    path: "/",
    headers: {
      host: options.host ?? TEST_HOST,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AmazonSSM.${operation}`,
      ...options.extraHeaders,
    },
    body,
  });
  const signed = await signer.sign(request, { signingDate: options.signingDate });
  return signed.headers as Record<string, string>;
}
