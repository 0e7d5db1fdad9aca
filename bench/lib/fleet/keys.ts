/**
 * The fleet's RSA key pairs. A 2,048-bit pair costs ~50-100 ms of CPU to make, minutes for a big
 * fleet, so a run makes a pool of them once (off the main thread) and keeps it under .data/
 * (gitignored) for the next run; node i registers with pair i mod the pool's size. Every node
 * still registers its own public key and fingerprint and signs its role-token requests with
 * RSA-PSS as the agent does, and the service verifies the same work; what it changes is only
 * that groups of nodes share a key, which the service neither knows nor checks.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { inBatches } from "../../../test/support/managed-node.ts";

export type KeyPair = { publicKey: KeyObject; privateKey: KeyObject };

const generate = promisify(generateKeyPair);
const CACHE = new URL("../../../.data/fleet-keys.json", import.meta.url);

/** `size` key pairs: those kept from an earlier run, and as many new ones as are missing. */
export async function keyPool(size: number): Promise<{ pairs: KeyPair[]; made: number }> {
  const kept: string[] = existsSync(CACHE) ? (JSON.parse(readFileSync(CACHE, "utf8")) as string[]) : [];
  const pairs = kept.slice(0, size).map((pem) => {
    const privateKey = createPrivateKey(pem);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  });
  const missing = size - pairs.length;
  if (missing <= 0) return { pairs, made: 0 };
  const made = await inBatches(
    Array.from({ length: missing }, (_, i) => i),
    4,
    () => generate("rsa", { modulusLength: 2048 }),
  );
  pairs.push(...made);
  mkdirSync(dirname(CACHE.pathname), { recursive: true });
  writeFileSync(
    CACHE,
    JSON.stringify(pairs.map((pair) => pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string)),
  );
  return { pairs, made: missing };
}
