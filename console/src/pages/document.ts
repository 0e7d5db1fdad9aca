/**
 * One document: its description, versions, content of a chosen version in JSON or YAML, the
 * default version switch, and delete, whose AssociatedInstances refusal is shown as it is. A
 * Change Calendar shows its state now and when it next changes (GetCalendarState).
 */
import {
  DeleteDocumentCommand,
  DescribeDocumentCommand,
  type DocumentDescription,
  type DocumentVersionInfo,
  GetCalendarStateCommand,
  GetDocumentCommand,
  ListDocumentVersionsCommand,
  UpdateDocumentDefaultVersionCommand,
} from "@aws-sdk/client-ssm";
import { errorName, errorText, ssm } from "../api.ts";
import { confirmDialog, definitions, pager } from "../components.ts";
import { errorBox, field, formatDate, h, replace, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";

export const render: Page = async (main, [name = ""]) => {
  let doc: DocumentDescription;
  try {
    doc = (await ssm().send(new DescribeDocumentCommand({ Name: name }))).Document as DocumentDescription;
  } catch (error) {
    main.append(h("h1", {}, name), errorBox(errorText(error)));
    return;
  }
  const amazon = doc.Owner === "Amazon";
  const feedback = h("div", { class: "feedback", "aria-live": "polite" });
  const remove = h("button", { type: "button", class: "danger" }, "Delete document");
  remove.addEventListener("click", async () => {
    if (!(await confirmDialog(`Delete the document ${name} and all its versions?`, "Delete document"))) return;
    try {
      await ssm().send(new DeleteDocumentCommand({ Name: name }));
      location.hash = "#/documents";
    } catch (error) {
      if (errorName(error) === "AssociatedInstances") {
        replace(
          feedback,
          h(
            "div",
            { class: "error-box", role: "alert" },
            h("strong", {}, "This document is in use and was not deleted."),
            h("p", {}, errorText(error)),
            h(
              "p",
              {},
              "Delete the associations that use it first: ",
              h("a", { href: `#/associations?document=${encodeURIComponent(name)}` }, `associations of ${name}`),
              ".",
            ),
          ),
        );
      } else replace(feedback, errorBox(errorText(error)));
    }
  });

  const versionSelect = h("select", { name: "version" });
  const format = h(
    "select",
    { name: "format" },
    ["JSON", "YAML"].map((f) => h("option", { value: f, selected: f === doc.DocumentFormat }, f)),
  );
  const content = h("pre", { class: "content", tabindex: "0", "aria-label": "Document content" });
  const showContent = async () => {
    try {
      const answer = await ssm().send(
        new GetDocumentCommand({
          Name: name,
          DocumentVersion: versionSelect.value || undefined,
          DocumentFormat: format.value as "JSON" | "YAML",
        }),
      );
      content.textContent = answer.Content ?? "";
    } catch (error) {
      content.textContent = errorText(error);
    }
  };
  versionSelect.addEventListener("change", () => void showContent());
  format.addEventListener("change", () => void showContent());

  const makeDefault = async (version: string) => {
    try {
      await ssm().send(new UpdateDocumentDefaultVersionCommand({ Name: name, DocumentVersion: version }));
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (error) {
      replace(feedback, errorBox(errorText(error)));
    }
  };
  const versions = pager<DocumentVersionInfo>({
    label: "Document versions",
    load: async (token) => {
      const page = await ssm().send(new ListDocumentVersionsCommand({ Name: name, MaxResults: 25, NextToken: token }));
      return { items: page.DocumentVersions ?? [], next: page.NextToken };
    },
    render: (items) => {
      const selected = versionSelect.value || doc.DefaultVersion;
      replace(
        versionSelect,
        items.map((v) =>
          h(
            "option",
            { value: v.DocumentVersion, selected: v.DocumentVersion === selected },
            `${v.DocumentVersion}${v.VersionName ? ` (${v.VersionName})` : ""}${v.IsDefaultVersion ? " · default" : ""}`,
          ),
        ),
      );
      void showContent();
      return table(
        "Document versions",
        [
          { title: "Version", cell: (v) => v.DocumentVersion },
          { title: "Name", cell: (v) => v.VersionName ?? "—" },
          { title: "Created", cell: (v) => formatDate(v.CreatedDate) },
          { title: "Status", cell: (v) => statusBadge(v.Status) },
          { title: "Format", cell: (v) => v.DocumentFormat },
          {
            title: "Default",
            cell: (v) =>
              v.IsDefaultVersion
                ? "Default"
                : amazon
                  ? "—"
                  : h(
                      "button",
                      { type: "button", class: "secondary", onclick: () => void makeDefault(v.DocumentVersion ?? "") },
                      `Make version ${v.DocumentVersion} the default`,
                    ),
          },
        ],
        items,
      );
    },
    onError: (error) => errorBox(errorText(error)),
  });

  main.append(
    h("p", { class: "crumbs" }, h("a", { href: "#/documents" }, "Documents"), " / "),
    h("h1", {}, name),
    h(
      "div",
      { class: "actions" },
      h(
        "a",
        { class: "button", href: `#/associations/new?document=${encodeURIComponent(name)}` },
        "Create association",
      ),
      amazon ? null : remove,
    ),
    feedback,
    definitions([
      ["Type", doc.DocumentType],
      ["Owner", doc.Owner],
      ["Status", statusBadge(doc.Status)],
      ["Default version", doc.DefaultVersion],
      ["Latest version", doc.LatestVersion],
      ["Schema version", doc.SchemaVersion],
      ["Platforms", (doc.PlatformTypes ?? []).join(", ")],
      ["Description", doc.Description],
      ["Created", formatDate(doc.CreatedDate)],
      ["Parameters", (doc.Parameters ?? []).map((p) => `${p.Name} (${p.Type})`).join(", ") || undefined],
    ]),
    doc.DocumentType === "ChangeCalendar" ? calendarState(name) : "",
    h("section", {}, h("h2", {}, "Versions"), versions.element),
    h(
      "section",
      {},
      h("h2", {}, "Content"),
      h("div", { class: "inline-fields" }, field("Version", versionSelect).row, field("Format", format).row),
      content,
    ),
  );
};

/** A Change Calendar's state now (GetCalendarState): OPEN or CLOSED, and until when. */
function calendarState(name: string): HTMLElement {
  const slot = h("div", { "aria-live": "polite" }, "Reading the calendar's state…");
  void ssm()
    .send(new GetCalendarStateCommand({ CalendarNames: [name] }))
    .then((state) =>
      replace(
        slot,
        definitions([
          ["State", statusBadge(state.State)],
          ["At", state.AtTime],
          ["Changes", state.NextTransitionTime ?? "Not within the next 10 years"],
        ]),
      ),
    )
    .catch((error) => replace(slot, errorBox(errorText(error))));
  return h(
    "section",
    { "aria-labelledby": "calendar-title" },
    h("h2", { id: "calendar-title" }, "Calendar state"),
    slot,
  );
}
