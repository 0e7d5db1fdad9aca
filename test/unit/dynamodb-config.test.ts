import { describe, expect, it } from "vitest";
import { dynamoDbClientConfig } from "../../shared/store/dynamodb.ts";

describe("the DynamoDB client settings", () => {
  it("give DynamoDB Local on this machine fixed credentials", () => {
    expect(dynamoDbClientConfig("http://127.0.0.1:8000", "us-east-1")).toEqual({
      region: "us-east-1",
      endpoint: "http://127.0.0.1:8000",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    expect(dynamoDbClientConfig("http://localhost:8000", "eu-west-1")).toHaveProperty("credentials");
  });

  it("leave real DynamoDB, or another endpoint, to the default credential chain", () => {
    expect(dynamoDbClientConfig("https://dynamodb.eu-west-1.amazonaws.com", "eu-west-1")).toEqual({
      region: "eu-west-1",
      endpoint: "https://dynamodb.eu-west-1.amazonaws.com",
    });
    expect(dynamoDbClientConfig(undefined, "us-east-1")).toEqual({ region: "us-east-1" });
  });
});
