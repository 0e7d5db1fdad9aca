/**
 * One real DynamoDB Local (in memory, on a free port) for the whole run; every test file
 * creates its own table in it, so files never see each other's items.
 */
import type { TestProject } from "vitest/node";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";

let dynamodb: DynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  dynamodb = await startDynamoDbLocal();
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamodb?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
