/**
 * Failures of account administration (the admin command and the local start-up). They never
 * reach the wire, so they are plain errors, not members of the SSM error set.
 */
export class AccountExists extends Error {
  constructor(accountId: string) {
    super(`account ${accountId} already exists`);
  }
}
export class AccountNotFound extends Error {
  constructor(accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}
export class AccessKeyExists extends Error {
  constructor(accessKeyId: string) {
    super(`access key ${accessKeyId} already exists`);
  }
}
export class AccessKeyNotFound extends Error {
  constructor(accessKeyId: string) {
    super(`access key ${accessKeyId} does not exist`);
  }
}
