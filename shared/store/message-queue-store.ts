/**
 * The nodes' message queues in the single table (keys.ts `queuedMessage`): one partition per
 * node, one item per undelivered message. A poll is one strongly consistent Query of the node's
 * own partition (an idle node's is empty: the cheapest read DynamoDB has), a hand-out is one
 * conditional write per message, and settling is one delete.
 */
import { BatchWriteCommand, DeleteCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { QueuedMessage } from "../domain/messages/records.ts";
import type { MessageQueueStore } from "../domain/messages/store.ts";
import { failedCondition, isConditionalCheckFailed, isTransactionConflict } from "./dynamodb.ts";
import { plain, TableStore, transact } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

/** A message as its node's queue keeps it (a pushed run writes its first wave's with the run: execution-items.ts). */
export const queuedMessageItem = (scope: Scope, message: QueuedMessage): Record<string, unknown> => ({
  ...keys.queuedMessage(scope, message.Destination, message.MessageId),
  Type: EntityType.QueuedMessage,
  ...message,
});

export class DynamoMessageQueueStore extends TableStore implements MessageQueueStore {
  async put(scope: Scope, messages: QueuedMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 25) {
      let requests: Record<string, unknown>[] | undefined = messages
        .slice(i, i + 25)
        .map((message) => ({ PutRequest: { Item: queuedMessageItem(scope, message) } }));
      while (requests && requests.length > 0) {
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = result.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined;
      }
    }
  }

  async queued(scope: Scope, instanceId: string): Promise<QueuedMessage[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": keys.messageQueuePartition(scope, instanceId) },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => plain<QueuedMessage>(item));
  }

  async claim(scope: Scope, seen: QueuedMessage, visibleAt: number): Promise<boolean> {
    const update = {
      TableName: this.table,
      Key: keys.queuedMessage(scope, seen.Destination, seen.MessageId),
      UpdateExpression: "SET VisibleAt = :next, Deliveries = Deliveries + :one",
      ConditionExpression: "VisibleAt = :seen",
      ExpressionAttributeValues: { ":next": visibleAt, ":one": 1, ":seen": seen.VisibleAt },
    };
    try {
      if (!seen.Run) {
        await this.db.send(new UpdateCommand(update));
        return true;
      }
      // A pushed run's message: handed out only while its run has not stopped on MaxErrors (the
      // check every release makes, execution-store.ts), in the same write: none after the stop.
      await transact(this.db, [
        { Update: update },
        {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.execution(scope, seen.Run.AssociationId, seen.Run.ExecutionId),
            ConditionExpression: "Errors <= MaxErrors",
          },
        },
      ]);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error) || failedCondition(error) || isTransactionConflict(error)) return false;
      throw error;
    }
  }

  async remove(scope: Scope, instanceId: string, messageId: string): Promise<QueuedMessage | undefined> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: keys.queuedMessage(scope, instanceId, messageId),
        ReturnValues: "ALL_OLD",
      }),
    );
    return Attributes ? plain<QueuedMessage>(Attributes) : undefined;
  }

  async removeUndelivered(
    scope: Scope,
    instanceId: string,
    messageId: string,
    sentBy: number,
    now: number,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keys.queuedMessage(scope, instanceId, messageId),
          // The same item GetMessages' claim conditions on: one of the two wins.
          // Not past its DeliverBy (a Duration run's cutoff): a message given up on starts nothing.
          ConditionExpression:
            "Deliveries = :zero AND VisibleAt <= :sentBy AND (attribute_not_exists(DeliverBy) OR DeliverBy > :now)",
          ExpressionAttributeValues: { ":zero": 0, ":sentBy": sentBy, ":now": now },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
