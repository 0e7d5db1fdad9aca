/**
 * Failures of account administration (the admin command and the local start-up). They never
 * reach the wire, so they are plain errors, not members of the SSM error set.
 */
export class AccountExists extends Error {}
export class AccountNotFound extends Error {}
export class AccessKeyExists extends Error {}
export class AccessKeyNotFound extends Error {}
