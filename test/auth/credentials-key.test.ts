/**
 * The deployed key source: a Secrets Manager secret, read through the real SDK client from
 * moto_server (a local Secrets Manager) when it is installed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/dynamodb-local.ts";
import { loadCredentialsKey } from "../../shared/auth/credentials-key.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";

const hasMoto = spawnSync("which", ["moto_server"]).status === 0;
let moto: ChildProcess | undefined;
let endpoint = "";

beforeAll(async () => {
  if (!hasMoto) return;
  const port = await freePort();
  moto = spawn("moto_server", ["-p", String(port)], { stdio: "ignore" });
  endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("moto_server did not start");
});

afterAll(() => {
  moto?.kill();
});

describe("the credentials key", () => {
  it("comes from CREDENTIALS_KEY when it is set", async () => {
    const key = SecretBox.newKey();
    const box = await loadCredentialsKey({ credentialsKey: key });
    expect(SecretBox.fromBase64(key).open(box.seal("s3cret"))).toBe("s3cret");
  });

  it("is required", async () => {
    await expect(loadCredentialsKey({})).rejects.toThrow(/CREDENTIALS_KEY/);
  });

  it.skipIf(!hasMoto)("comes from a Secrets Manager secret when deployed", async () => {
    process.env.AWS_ACCESS_KEY_ID ??= "test";
    process.env.AWS_SECRET_ACCESS_KEY ??= "test";
    const secret = "generated-by-the-stack-0123456789abcdefABCDEF";
    const client = new SecretsManagerClient({
      endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const { ARN } = await client.send(new CreateSecretCommand({ Name: "osm/credentials-key", SecretString: secret }));
    const box = await loadCredentialsKey({ credentialsKeySecretArn: ARN, secretsManagerEndpoint: endpoint });
    expect(SecretBox.fromSecretString(secret).open(box.seal("s3cret"))).toBe("s3cret");
    expect(() => SecretBox.fromSecretString("another").open(box.seal("s3cret"))).toThrow();
  });
});
