/**
 * The local credentials key: 32 random bytes in DATA_DIR/credentials.key, created on first start
 * with owner-only permissions. Deleting it makes every stored secret unreadable.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SecretBox } from "../../shared/auth/secret-box.ts";

export function loadOrCreateCredentialsKey(dataDir: string): string {
  const file = join(dataDir, "credentials.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = SecretBox.newKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
