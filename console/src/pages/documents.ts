/** Documents: ListDocuments with an owner filter, a page at a time. */
import { type DocumentIdentifier, ListDocumentsCommand } from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { pager } from "../components.ts";
import { errorBox, field, h, route, table } from "../dom.ts";
import type { Page } from "../page.ts";

const OWNERS: [string, string][] = [
  ["Self", "Owned by me"],
  ["Amazon", "Owned by AWS"],
  ["All", "All"],
];

export const render: Page = async (main, _params, query) => {
  const owner = query.get("owner") ?? "Self";
  const select = h(
    "select",
    { name: "owner" },
    OWNERS.map(([value, text]) => h("option", { value, selected: value === owner }, text)),
  );
  select.addEventListener("change", () => {
    location.hash = `#/documents?owner=${select.value}`;
  });
  const list = pager<DocumentIdentifier>({
    label: "Documents",
    load: async (token) => {
      const page = await ssm().send(
        new ListDocumentsCommand({ Filters: [{ Key: "Owner", Values: [owner] }], MaxResults: 25, NextToken: token }),
      );
      return { items: page.DocumentIdentifiers ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Documents",
        [
          { title: "Name", cell: (d) => h("a", { href: route("documents", d.Name ?? "") }, d.Name) },
          { title: "Type", cell: (d) => d.DocumentType },
          { title: "Owner", cell: (d) => d.Owner },
          { title: "Default version", cell: (d) => d.DocumentVersion },
          { title: "Format", cell: (d) => d.DocumentFormat },
          { title: "Schema", cell: (d) => d.SchemaVersion },
          { title: "Platforms", cell: (d) => (d.PlatformTypes ?? []).join(", ") },
        ],
        items,
        owner === "Self" ? "You have no document yet." : "No document.",
      ),
    onError: (error) => errorBox(errorText(error)),
  });
  main.append(
    h(
      "div",
      { class: "title-row" },
      h("h1", {}, "Documents"),
      h("a", { class: "button", href: "#/documents/new" }, "Create document"),
    ),
    h("form", { class: "filters", "aria-label": "Filter documents" }, field("Owner", select).row),
    list.element,
  );
};
