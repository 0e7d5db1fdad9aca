/**
 * A stand-in for the SSM Agent, written with Node's crypto only: an RSA key pair, registration
 * with an activation, and requests signed the way the agent signs them (SigV4's layout with the
 * instance id as key id, and an RSA-PSS signature of the string to sign).
 */
import { constants, createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { TEST_HOST } from "./identity.ts";
import { type Answer, invoke, invokeEvent, proxyEvent } from "./invoke.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export class FakeAgent {
  readonly fingerprint: string = randomUUID();
  private privateKey: KeyObject;
  publicKey: string;
  instanceId: string | undefined;

  /** `pair`: a key pair made elsewhere (the bench makes its fleet's off the main thread). */
  constructor(
    readonly region = "us-east-1",
    pair: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync("rsa", { modulusLength: 2048 }),
  ) {
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  }

  /** A fresh key pair, as the agent makes when it rotates its key. */
  newKeyPair(): { publicKey: string; adopt: () => void } {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const publicKey = pair.publicKey.export({ type: "spki", format: "der" }).toString("base64");
    return {
      publicKey,
      adopt: () => {
        this.privateKey = pair.privateKey;
        this.publicKey = publicKey;
      },
    };
  }

  /** RegisterManagedInstance's body as the agent sends it (unsigned): its public key and fingerprint. */
  registration(activationId: string, activationCode: string, extra: Record<string, unknown> = {}) {
    return {
      ActivationCode: activationCode,
      ActivationId: activationId,
      PublicKey: this.publicKey,
      PublicKeyType: "Rsa",
      Fingerprint: this.fingerprint,
      ...extra,
    };
  }

  /** Keeps the id a registration answered (in process or over HTTP). */
  registered(answer: { status: number; body: Record<string, unknown> }): void {
    if (answer.status === 200) this.instanceId = answer.body.InstanceId as string;
  }

  async register(activationId: string, activationCode: string, extra: Record<string, unknown> = {}): Promise<Answer> {
    const answer = await invoke("RegisterManagedInstance", this.registration(activationId, activationCode, extra), {
      unsigned: true,
    });
    this.registered(answer);
    return answer;
  }

  /** A request signed with the node's private key; `as` and `body` allow tampering in tests. */
  signedEvent(
    operation: string,
    request: unknown,
    options: { as?: string; date?: Date; host?: string } = {},
  ): APIGatewayProxyEvent {
    const body = JSON.stringify(request);
    return proxyEvent(operation, body, this.signedHeaders(operation, body, options));
  }

  /** The headers of a request signed with the node's private key (in process or over HTTP). */
  signedHeaders(
    operation: string,
    body: string,
    options: { as?: string; date?: Date; host?: string } = {},
  ): Record<string, string> {
    const amzDate = (options.date ?? new Date())
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const day = amzDate.slice(0, 8);
    const headers: Record<string, string> = {
      "content-type": "application/x-amz-json-1.1",
      host: options.host ?? TEST_HOST,
      "x-amz-date": amzDate,
      "x-amz-target": `AmazonSSM.${operation}`,
    };
    const signedHeaders = Object.keys(headers).sort();
    const canonical = [
      "POST",
      "/",
      "",
      signedHeaders.map((name) => `${name}:${headers[name]}\n`).join(""),
      signedHeaders.join(";"),
      sha256(body),
    ].join("\n");
    const scope = `${day}/${this.region}/ssm/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
    const signature = sign("sha256", Buffer.from(stringToSign), {
      key: this.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    }).toString("base64");
    const keyId = options.as ?? this.instanceId;
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${keyId}/${scope}, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
    return headers;
  }

  roleToken(fingerprint = this.fingerprint): Promise<Answer> {
    return invokeEvent(
      "RequestManagedInstanceRoleToken",
      this.signedEvent("RequestManagedInstanceRoleToken", { Fingerprint: fingerprint }),
    );
  }
}
