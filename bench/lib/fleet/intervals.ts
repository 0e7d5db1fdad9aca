/**
 * How often an unmodified SSM Agent calls the service, by default (aws/amazon-ssm-agent):
 *
 * - heartbeat, `UpdateInstanceInformation`: every 5 minutes (agent/health/healthcheck.go
 *   `getUpdateHealthFrequency`, `updateHealthFrequencyMins := 5`; agent/appconfig/constants.go
 *   `DefaultSsmHealthFrequencyMinutes = 5`);
 * - association poll, `ListInstanceAssociations`: every 10 minutes (agent/association/processor/
 *   processor.go `ModuleExecute` schedules `ProcessAssociation` every
 *   `Ssm.AssociationFrequencyMinutes`; constants.go `DefaultSsmAssociationFrequencyMinutes = 10`);
 *   `GetDocument` only for an association whose `Checksum` changed (agent/association/cache/
 *   cache.go `ValidateCache`, service.go `LoadAssociationDetail`);
 * - node credentials, `RequestManagedInstanceRoleToken`: at half their lifetime
 *   (core/app/credentialrefresher/credentialrefresher.go `durationUntilRefresh`), this service's
 *   1 hour (shared/domain/nodes/nodes.ts NODE_CREDENTIALS_LIFETIME_SECONDS): every 30 minutes;
 * - inventory, `PutInventory`: when the node's inventory association runs; AWS's Quick Setup and
 *   console default for `AWS-GatherSoftwareInventory` is every 30 minutes, and after the first
 *   upload an unchanged type is sent as its ContentHash alone
 *   (agent/plugins/inventory/datauploader/uploader.go `ConvertToSsmInventoryItems`);
 * - message channel, `GetMessages`: one poll at a time; a poll answered in under a second is
 *   followed by a 2 to 2.5 s sleep, a longer one by the next poll at once
 *   (agent/messageservice/interactor/mdsinteractor/mdsinteractor.go `messagePollLoop`), so a
 *   node is always inside a poll the server holds (`npm start`: 19 s, docs/message-channel.md).
 *
 * `scale` compresses every interval (and the server's poll hold with them): 60 runs an agent's
 * hour in a minute. Figures per node-hour are then counted in agent hours.
 */
export type AgentIntervals = {
  heartbeatMs: number;
  associationPollMs: number;
  roleTokenMs: number;
  inventoryMs: number;
  /** The agent's sleep after a poll answered in under a second: 2,000 + rand(500) ms. */
  shortPollSleepMs: () => number;
  /** Below this a poll counts as answered at once (1 s). */
  shortPollMs: number;
};

const MINUTE = 60_000;

export function agentIntervals(scale: number): AgentIntervals {
  return {
    heartbeatMs: (5 * MINUTE) / scale,
    associationPollMs: (10 * MINUTE) / scale,
    roleTokenMs: (30 * MINUTE) / scale,
    inventoryMs: (30 * MINUTE) / scale,
    shortPollSleepMs: () => (2000 + Math.random() * 500) / scale,
    shortPollMs: 1000 / scale,
  };
}

/** The hold `npm start` gives an empty GetMessages (MAX_MESSAGE_POLL_HOLD_SECONDS), compressed with the agent. */
export const heldPollSeconds = (scale: number, holdSeconds = 19) => holdSeconds / scale;
