/**
 * Compliance: a summary per compliance type and one per node. Per type comes from
 * ListComplianceSummaries where the server has it, else from the node summaries on the page.
 */
import {
  type ComplianceSummaryItem,
  ListComplianceSummariesCommand,
  ListResourceComplianceSummariesCommand,
  type ResourceComplianceSummaryItem,
} from "@aws-sdk/client-ssm";
import { errorText, isUnknownOperation, ssm } from "../api.ts";
import { pager } from "../components.ts";
import { errorBox, formatDate, h, replace, route, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";

type TypeSummary = { type: string; compliant: number; nonCompliant: number };

function typeTable(rows: TypeSummary[]): HTMLElement {
  return table(
    "Compliance by type",
    [
      { title: "Compliance type", cell: (r) => r.type },
      { title: "Compliant", cell: (r) => h("span", { class: "badge status-ok" }, String(r.compliant)) },
      { title: "Non-compliant", cell: (r) => h("span", { class: "badge status-bad" }, String(r.nonCompliant)) },
    ],
    rows,
    "No compliance data yet.",
  );
}

export const render: Page = async (main) => {
  const byType = h("div", { "aria-live": "polite" });
  let official = true;
  const fromResources = (items: ResourceComplianceSummaryItem[]) => {
    const sums = new Map<string, TypeSummary>();
    for (const item of items) {
      const type = item.ComplianceType ?? "";
      const row = sums.get(type) ?? { type, compliant: 0, nonCompliant: 0 };
      if (item.Status === "COMPLIANT") row.compliant += 1;
      else row.nonCompliant += 1;
      sums.set(type, row);
    }
    replace(
      byType,
      typeTable([...sums.values()]),
      h(
        "p",
        { class: "hint" },
        "Counted from the nodes on the page below (this server has no ListComplianceSummaries).",
      ),
    );
  };
  try {
    const summaries = await ssm().send(new ListComplianceSummariesCommand({ MaxResults: 50 }));
    replace(
      byType,
      typeTable(
        (summaries.ComplianceSummaryItems ?? []).map((s: ComplianceSummaryItem) => ({
          type: s.ComplianceType ?? "",
          compliant: s.CompliantSummary?.CompliantCount ?? 0,
          nonCompliant: s.NonCompliantSummary?.NonCompliantCount ?? 0,
        })),
      ),
    );
  } catch (error) {
    if (!isUnknownOperation(error)) replace(byType, errorBox(errorText(error)));
    official = false;
  }

  const perNode = pager<ResourceComplianceSummaryItem>({
    label: "Compliance by node",
    load: async (token) => {
      const page = await ssm().send(new ListResourceComplianceSummariesCommand({ MaxResults: 25, NextToken: token }));
      return { items: page.ResourceComplianceSummaryItems ?? [], next: page.NextToken };
    },
    render: (items) => {
      if (!official) fromResources(items);
      return table(
        "Compliance by node",
        [
          {
            title: "Node",
            cell: (r) =>
              r.ResourceType === "ManagedInstance"
                ? h("a", { href: route("nodes", r.ResourceId ?? "") }, r.ResourceId)
                : (r.ResourceId ?? ""),
          },
          { title: "Type", cell: (r) => r.ComplianceType },
          { title: "Status", cell: (r) => statusBadge(r.Status) },
          { title: "Overall severity", cell: (r) => r.OverallSeverity },
          { title: "Compliant", cell: (r) => String(r.CompliantSummary?.CompliantCount ?? 0) },
          { title: "Non-compliant", cell: (r) => String(r.NonCompliantSummary?.NonCompliantCount ?? 0) },
          { title: "Last execution", cell: (r) => formatDate(r.ExecutionSummary?.ExecutionTime) },
        ],
        items,
        "No node has compliance data yet.",
      );
    },
    onError: (error) => errorBox(errorText(error)),
  });

  main.append(
    h("h1", {}, "Compliance"),
    h("section", {}, h("h2", {}, "By compliance type"), byType),
    h("section", {}, h("h2", {}, "By node"), perNode.element),
  );
};
