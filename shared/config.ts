/**
 * Environment, read once on first use (a Lambda cold start, or the local server's start-up).
 * Tests set the environment before the first call.
 */
export type Config = {
  /** The single DynamoDB table holding every item. */
  readonly tableName: string;
  /** A DynamoDB endpoint to use instead of the regional one (DynamoDB Local). */
  readonly dynamodbEndpoint: string | undefined;
  /** The region of the DynamoDB table itself. */
  readonly tableRegion: string;
  /** The region assumed for requests that carry no SigV4 credential scope. */
  readonly defaultRegion: string;
  /** The account every request belongs to until authentication maps keys to accounts. */
  readonly defaultAccountId: string;
};

let current: Config | undefined;

export function config(): Config {
  current ??= {
    tableName: process.env.TABLE_NAME || "open-state-manager",
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    tableRegion: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
    defaultRegion: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1",
    defaultAccountId: "000000000000",
  };
  return current;
}
