/** Managed nodes: DescribeInstanceInformation, a page at a time. */
import { DescribeInstanceInformationCommand, type InstanceInformation } from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { pager } from "../components.ts";
import { errorBox, formatDate, h, route, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";

export const render: Page = async (main) => {
  const list = pager<InstanceInformation>({
    label: "Managed nodes",
    load: async (token) => {
      const page = await ssm().send(new DescribeInstanceInformationCommand({ MaxResults: 25, NextToken: token }));
      return { items: page.InstanceInformationList ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Managed nodes",
        [
          { title: "Node", cell: (n) => h("a", { href: route("nodes", n.InstanceId ?? "") }, n.InstanceId) },
          { title: "Name", cell: (n) => n.Name ?? n.ComputerName ?? "—" },
          { title: "Ping status", cell: (n) => statusBadge(n.PingStatus) },
          {
            title: "Platform",
            cell: (n) => [n.PlatformType, n.PlatformName, n.PlatformVersion].filter(Boolean).join(" "),
          },
          { title: "Agent version", cell: (n) => n.AgentVersion ?? "—" },
          { title: "Last heartbeat", cell: (n) => formatDate(n.LastPingDateTime) },
          {
            title: "Association status",
            cell: (n) =>
              h(
                "span",
                {},
                statusBadge(n.AssociationStatus),
                n.AssociationOverview?.InstanceAssociationStatusAggregatedCount
                  ? ` ${Object.entries(n.AssociationOverview.InstanceAssociationStatusAggregatedCount)
                      .map(([s, c]) => `${s} ${c}`)
                      .join(", ")}`
                  : "",
              ),
          },
        ],
        items,
        "No managed node yet. Register one with an activation (see the README).",
      ),
    onError: (error) => errorBox(errorText(error)),
  });
  main.append(h("h1", {}, "Managed nodes"), list.element);
};
