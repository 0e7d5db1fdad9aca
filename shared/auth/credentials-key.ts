/**
 * Where the key that seals credential secrets comes from:
 * - `CREDENTIALS_KEY`: the base64 key itself (locally, `npm start` reads it from
 *   DATA_DIR/credentials.key, created on first start);
 * - `CREDENTIALS_KEY_SECRET_ARN`: deployed, an AWS Secrets Manager secret whose string is the
 *   base64 key, read once per cold start (the function's role may only read that secret).
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SecretBox } from "./secret-box.ts";

export type CredentialsKeySource = {
  credentialsKey?: string;
  credentialsKeySecretArn?: string;
  /** Another Secrets Manager endpoint (a local emulator, in tests). */
  secretsManagerEndpoint?: string;
};

export async function loadCredentialsKey(source: CredentialsKeySource): Promise<SecretBox> {
  if (source.credentialsKey) return SecretBox.fromBase64(source.credentialsKey);
  const arn = source.credentialsKeySecretArn;
  if (!arn)
    throw new Error("neither CREDENTIALS_KEY nor CREDENTIALS_KEY_SECRET_ARN is set: credential secrets cannot be read");
  const region = arn.split(":")[3] || process.env.AWS_REGION;
  const client = new SecretsManagerClient({
    region,
    ...(source.secretsManagerEndpoint ? { endpoint: source.secretsManagerEndpoint } : {}),
  });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`secret ${arn} holds no string`);
  return SecretBox.fromBase64(SecretString);
}
