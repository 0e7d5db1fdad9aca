/**
 * Encryption at rest for credential secrets: AES-256-GCM under a 32-byte key from configuration.
 * The server must recover a secret to compute the HMAC, so secrets are encrypted, not hashed.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1";

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("the credentials key must be 32 bytes (base64 of 32 random bytes)");
    this.key = key;
  }

  /** A SecretBox from the base64 text of a key, as CREDENTIALS_KEY and the key file hold it. */
  static fromBase64(text: string): SecretBox {
    return new SecretBox(Buffer.from(text.trim(), "base64"));
  }

  /** A SecretBox keyed by the SHA-256 of a secret string (a generated Secrets Manager secret). */
  static fromSecretString(text: string): SecretBox {
    return new SecretBox(createHash("sha256").update(text, "utf8").digest());
  }

  static newKey(): string {
    return randomBytes(32).toString("base64");
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
  }

  open(sealed: string): string {
    const [version, payload] = sealed.split(":");
    if (version !== VERSION || !payload) throw new Error("unrecognized sealed secret");
    const bytes = Buffer.from(payload, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  }
}
