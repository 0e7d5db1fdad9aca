/**
 * How a registered node proves who it is when it asks for credentials: SigV4's layout with its
 * instance id as the key id, and as signature the base64 RSA-PSS (SHA-256, salt length 32) of the
 * SigV4 string to sign, made with the private key whose public half it registered.
 */
import { constants, createPublicKey, type KeyObject, verify } from "node:crypto";
import { InvalidSignatureException } from "../errors.ts";
import { checkRequestDate, parseAuthorization, type SignedRequest, stringToSign } from "./sigv4.ts";

/** The registered public key, given as base64 DER: SubjectPublicKeyInfo, or PKCS#1 as Go writes it. */
export function publicKeyOf(base64Der: string): KeyObject {
  const der = Buffer.from(base64Der, "base64");
  try {
    return createPublicKey({ key: der, format: "der", type: "spki" });
  } catch {
    return createPublicKey({ key: der, format: "der", type: "pkcs1" });
  }
}

export function isUsablePublicKey(base64Der: string): boolean {
  try {
    return publicKeyOf(base64Der).asymmetricKeyType === "rsa";
  } catch {
    return false;
  }
}

/** What verification needs of a node's identity: the public key it registered. */
export type SigningIdentity = { readonly PublicKey: string };

/**
 * Verifies a node-signed request; returns the node's identity and the region it signed for.
 * `identityOf` answers the identity of a registered node and throws the domain's error for any
 * other id.
 */
export async function verifyNodeSignature<I extends SigningIdentity>(
  request: SignedRequest,
  identityOf: (instanceId: string) => Promise<I>,
  now: Date,
): Promise<{ identity: I; region: string }> {
  const authorization = parseAuthorization(request.headers);
  const amzDate = checkRequestDate(request, authorization, now);
  const identity = await identityOf(authorization.accessKeyId);
  const valid = verify(
    "sha256",
    Buffer.from(stringToSign(request, authorization, amzDate), "utf8"),
    { key: publicKeyOf(identity.PublicKey), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
    Buffer.from(authorization.signature, "base64"),
  );
  if (!valid) {
    throw new InvalidSignatureException(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
  }
  return { identity, region: authorization.region };
}
