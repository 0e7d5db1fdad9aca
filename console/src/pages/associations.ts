/** Associations: a filtered, paginated table (ListAssociations) and the last executions, drawn. */
import { type Association, type AssociationFilter, ListAssociationsCommand } from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { lastExecutionsChart } from "../chart.ts";
import { formatTargets, pager, statusWithCounts } from "../components.ts";
import { errorBox, field, formatDate, h, route, table } from "../dom.ts";
import type { Page } from "../page.ts";

export const render: Page = async (main, _params, query) => {
  const name = h("input", { type: "search", name: "name", value: query.get("name") ?? "" });
  const documentName = h("input", { type: "search", name: "document", value: query.get("document") ?? "" });
  const status = h(
    "select",
    { name: "status" },
    ["", "Pending", "Success", "Failed"].map((s) =>
      h("option", { value: s, selected: (query.get("status") ?? "") === s }, s || "Any status"),
    ),
  );
  const filters = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter associations" },
    field("Association name", name).row,
    field("Document", documentName).row,
    field("Status", status).row,
    h("button", { type: "submit" }, "Apply filters"),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (name.value.trim()) next.set("name", name.value.trim());
    if (documentName.value.trim()) next.set("document", documentName.value.trim());
    if (status.value) next.set("status", status.value);
    location.hash = `#/associations${next.toString() ? `?${next}` : ""}`;
  });

  const filterList: AssociationFilter[] = [];
  if (query.get("name")) filterList.push({ key: "AssociationName", value: query.get("name") as string });
  if (query.get("document")) filterList.push({ key: "Name", value: query.get("document") as string });
  if (query.get("status")) filterList.push({ key: "AssociationStatusName", value: query.get("status") as string });

  const chartSlot = h("section", { "aria-labelledby": "chart-title" });
  const list = pager<Association>({
    label: "Associations",
    load: async (token) => {
      const page = await ssm().send(
        new ListAssociationsCommand({
          AssociationFilterList: filterList.length ? filterList : undefined,
          MaxResults: 25,
          NextToken: token,
        }),
      );
      return { items: page.Associations ?? [], next: page.NextToken };
    },
    render: (items) => {
      chartSlot.replaceChildren(
        h("h2", { id: "chart-title" }, "Last executions"),
        items.length
          ? lastExecutionsChart(
              items.map((a) => ({
                label: a.AssociationName ?? a.Name ?? a.AssociationId ?? "",
                href: route("associations", a.AssociationId ?? ""),
                when: a.LastExecutionDate,
                status: a.Overview?.Status,
                counts: a.Overview?.AssociationStatusAggregatedCount,
              })),
            )
          : h("p", { class: "empty" }, "No association on this page."),
      );
      return table(
        "Associations",
        [
          {
            title: "Name",
            cell: (a) =>
              h("a", { href: route("associations", a.AssociationId ?? "") }, a.AssociationName ?? a.AssociationId),
          },
          { title: "Document", cell: (a) => `${a.Name} (${a.DocumentVersion ?? "$DEFAULT"})` },
          { title: "Targets", cell: (a) => formatTargets(a.Targets, a.InstanceId) },
          { title: "Schedule", cell: (a) => a.ScheduleExpression ?? "—" },
          { title: "Last execution", cell: (a) => formatDate(a.LastExecutionDate) },
          {
            title: "Status",
            cell: (a) => statusWithCounts(a.Overview?.Status, a.Overview?.AssociationStatusAggregatedCount),
          },
        ],
        items,
        filterList.length ? "No association matches these filters." : "No association yet.",
      );
    },
    onError: (error) => errorBox(errorText(error)),
  });

  main.append(
    h(
      "div",
      { class: "title-row" },
      h("h1", {}, "Associations"),
      h("a", { class: "button", href: "#/associations/new" }, "Create association"),
    ),
    filters,
    list.element,
    chartSlot,
  );
};
