/** One managed node: its details, effective associations, their status here, and its compliance. */
import {
  type ComplianceItem,
  DescribeEffectiveInstanceAssociationsCommand,
  DescribeInstanceAssociationsStatusCommand,
  DescribeInstanceInformationCommand,
  type InstanceAssociation,
  type InstanceAssociationStatusInfo,
  ListComplianceItemsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { definitions, pager } from "../components.ts";
import { errorBox, formatDate, h, route, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";

export const render: Page = async (main, [id = ""]) => {
  main.append(h("p", { class: "crumbs" }, h("a", { href: "#/nodes" }, "Managed nodes"), " / "), h("h1", {}, id));
  try {
    const [info, tags] = await Promise.all([
      ssm().send(new DescribeInstanceInformationCommand({ Filters: [{ Key: "InstanceIds", Values: [id] }] })),
      ssm().send(new ListTagsForResourceCommand({ ResourceType: "ManagedInstance", ResourceId: id })),
    ]);
    const n = info.InstanceInformationList?.[0];
    if (!n) {
      main.append(errorBox(`No managed node ${id} in this account and Region.`));
      return;
    }
    main.append(
      definitions([
        ["Ping status", statusBadge(n.PingStatus)],
        ["Last heartbeat", formatDate(n.LastPingDateTime)],
        ["Platform", [n.PlatformType, n.PlatformName, n.PlatformVersion].filter(Boolean).join(" ")],
        ["Agent version", n.AgentVersion],
        ["Computer name", n.ComputerName],
        ["IP address", n.IPAddress],
        ["Resource type", n.ResourceType],
        ["Registered", formatDate(n.RegistrationDate)],
        ["Association status", statusBadge(n.AssociationStatus)],
        ["Tags", (tags.TagList ?? []).map((t) => `${t.Key}=${t.Value}`).join(", ") || undefined],
      ]),
    );
  } catch (error) {
    main.append(errorBox(errorText(error)));
    return;
  }

  const statuses = pager<InstanceAssociationStatusInfo>({
    label: "Association status on this node",
    load: async (token) => {
      const page = await ssm().send(
        new DescribeInstanceAssociationsStatusCommand({ InstanceId: id, MaxResults: 25, NextToken: token }),
      );
      return { items: page.InstanceAssociationStatusInfos ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Association status on this node",
        [
          {
            title: "Association",
            cell: (s) =>
              h("a", { href: route("associations", s.AssociationId ?? "") }, s.AssociationName ?? s.AssociationId),
          },
          { title: "Document", cell: (s) => `${s.Name} (${s.DocumentVersion ?? "$DEFAULT"})` },
          { title: "Version", cell: (s) => s.AssociationVersion },
          { title: "Status", cell: (s) => statusBadge(s.Status) },
          { title: "Detailed status", cell: (s) => s.DetailedStatus ?? "—" },
          { title: "Executed", cell: (s) => formatDate(s.ExecutionDate) },
          { title: "Summary", cell: (s) => s.ExecutionSummary ?? "—" },
        ],
        items,
        "No association has run on this node yet.",
      ),
    onError: (error) => errorBox(errorText(error)),
  });

  const effective = pager<InstanceAssociation>({
    label: "Effective associations",
    load: async (token) => {
      const page = await ssm().send(
        new DescribeEffectiveInstanceAssociationsCommand({ InstanceId: id, MaxResults: 5, NextToken: token }),
      );
      return { items: page.Associations ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Effective associations",
        [
          {
            title: "Association",
            cell: (a) => h("a", { href: route("associations", a.AssociationId ?? "") }, a.AssociationId),
          },
          { title: "Version", cell: (a) => a.AssociationVersion },
          {
            title: "Content",
            cell: (a) => h("details", {}, h("summary", {}, "Document content"), h("pre", {}, a.Content ?? "")),
          },
        ],
        items,
        "No association applies to this node.",
      ),
    onError: (error) => errorBox(errorText(error)),
  });

  const compliance = pager<ComplianceItem>({
    label: "Compliance items",
    load: async (token) => {
      const page = await ssm().send(
        new ListComplianceItemsCommand({
          ResourceIds: [id],
          ResourceTypes: ["ManagedInstance"],
          MaxResults: 25,
          NextToken: token,
        }),
      );
      return { items: page.ComplianceItems ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Compliance items",
        [
          { title: "Type", cell: (c) => c.ComplianceType },
          { title: "Item", cell: (c) => c.Title ?? c.Id ?? "—" },
          { title: "Status", cell: (c) => statusBadge(c.Status) },
          { title: "Severity", cell: (c) => c.Severity },
          { title: "Execution", cell: (c) => formatDate(c.ExecutionSummary?.ExecutionTime) },
        ],
        items,
        "No compliance item for this node.",
      ),
    onError: (error) => errorBox(errorText(error)),
  });

  main.append(
    h("section", {}, h("h2", {}, "Association status"), statuses.element),
    h("section", {}, h("h2", {}, "Effective associations"), effective.element),
    h("section", {}, h("h2", {}, "Compliance"), compliance.element),
  );
};
