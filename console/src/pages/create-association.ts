/**
 * Create an association: a document (own or AWS-owned) and version, its parameters as the
 * document declares them, targets, a schedule with its next runs, rate controls and compliance
 * severity. Errors come back inline, next to the part of the form they are about.
 */
import {
  CreateAssociationCommand,
  type CreateAssociationRequest,
  type DocumentIdentifier,
  GetDocumentCommand,
  ListDocumentsCommand,
  ListDocumentVersionsCommand,
} from "@aws-sdk/client-ssm";
import { errorName, errorText, ssm } from "../api.ts";
import { scheduleEditor, targetsEditor } from "../components.ts";
import { type DocParameter, defaultText, documentParameters, parameterValues } from "../doc-params.ts";
import { append, errorBox, field, h, replace, route } from "../dom.ts";
import type { Page } from "../page.ts";

/** Document types an association can run. */
const ASSOCIABLE = ["Command", "Policy", "Automation"];

async function documentsOf(owner: "Self" | "Amazon", token?: string) {
  return ssm().send(
    new ListDocumentsCommand({
      Filters: [
        { Key: "Owner", Values: [owner] },
        { Key: "DocumentType", Values: ASSOCIABLE },
      ],
      MaxResults: 50,
      NextToken: token,
    }),
  );
}

export const render: Page = async (main, _params, query) => {
  const documentSelect = h("select", { name: "document", required: true });
  const own = h("optgroup", { label: "Owned by me" });
  const amazon = h("optgroup", { label: "Owned by AWS" });
  documentSelect.append(h("option", { value: "" }, "Choose a document"), own, amazon);
  const moreDocuments = h("button", { type: "button", class: "secondary", hidden: true }, "Load more documents");
  const documentField = field("Document", documentSelect, "Your documents first, then those AWS owns.");
  const versionSelect = h("select", { name: "documentVersion" }, h("option", { value: "" }, "Default version"));
  const versionField = field("Document version", versionSelect);
  const parametersBox = h("fieldset", { class: "parameters" }, h("legend", {}, "Parameters"));
  const parametersError = h("p", { class: "field-error", role: "alert" });
  const name = h("input", { name: "associationName" });
  const targets = targetsEditor();
  const schedule = scheduleEditor();
  const cronOnly = h("input", { type: "checkbox", name: "applyOnlyAtCronInterval", id: "apply-only-at-cron-interval" });
  const concurrency = h("input", { name: "maxConcurrency", placeholder: "e.g. 10 or 50%" });
  const maxErrors = h("input", { name: "maxErrors", placeholder: "e.g. 1 or 10%" });
  const severity = h(
    "select",
    { name: "complianceSeverity" },
    ["UNSPECIFIED", "CRITICAL", "HIGH", "MEDIUM", "LOW"].map((s) => h("option", { value: s }, s)),
  );
  const sync = h(
    "select",
    { name: "syncCompliance" },
    h("option", { value: "AUTO" }, "AUTO: each run reports compliance"),
    h("option", { value: "MANUAL" }, "MANUAL: only PutComplianceItems"),
  );
  const nameField = field("Association name (optional)", name);
  const formError = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit" }, "Create association");

  // Pages of each owner, read as the user asks for more.
  const tokens: Record<"Self" | "Amazon", string | undefined | null> = { Self: undefined, Amazon: undefined };
  const addDocuments = (group: HTMLElement, items: DocumentIdentifier[]) =>
    append(
      group,
      items.map((d) =>
        h("option", { value: d.Name, selected: d.Name === query.get("document") }, `${d.Name} (${d.DocumentType})`),
      ),
    );
  const loadDocuments = async () => {
    for (const [owner, group] of [
      ["Self", own],
      ["Amazon", amazon],
    ] as const) {
      if (tokens[owner] === null) continue;
      const page = await documentsOf(owner, tokens[owner] ?? undefined);
      addDocuments(group, page.DocumentIdentifiers ?? []);
      tokens[owner] = page.NextToken ?? null;
    }
    moreDocuments.hidden = tokens.Self === null && tokens.Amazon === null;
  };
  moreDocuments.addEventListener("click", () => void loadDocuments());

  let parameters: { param: DocParameter; control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement }[] = [];
  const showDocument = async () => {
    parameters = [];
    replace(parametersBox, h("legend", {}, "Parameters"));
    replace(versionSelect, h("option", { value: "" }, "Default version"));
    const documentName = documentSelect.value;
    if (!documentName) return;
    try {
      const [document, versions] = await Promise.all([
        ssm().send(
          new GetDocumentCommand({
            Name: documentName,
            DocumentVersion: versionSelect.value || undefined,
            DocumentFormat: "JSON",
          }),
        ),
        ssm().send(new ListDocumentVersionsCommand({ Name: documentName, MaxResults: 50 })),
      ]);
      append(versionSelect, [
        h("option", { value: "$LATEST" }, "$LATEST"),
        (versions.DocumentVersions ?? []).map((v) =>
          h("option", { value: v.DocumentVersion }, `${v.DocumentVersion}${v.IsDefaultVersion ? " (default)" : ""}`),
        ),
      ]);
      parameters = documentParameters(document.Content ?? "").map((param) => ({ param, control: control(param) }));
      if (parameters.length === 0)
        parametersBox.append(h("p", { class: "hint" }, "This document takes no parameters."));
      for (const { param, control: c } of parameters) {
        c.name = `parameter-${param.name}`;
        const hint = [
          param.description,
          `Type ${param.type}.`,
          param.default !== undefined ? `Default: ${defaultText(param) || "(empty)"}.` : "Required.",
          param.allowedPattern ? `Pattern: ${param.allowedPattern}` : "",
        ]
          .filter(Boolean)
          .join(" ");
        parametersBox.append(field(param.name, c, hint).row);
      }
      parametersBox.append(parametersError);
    } catch (error) {
      parametersBox.append(errorBox(errorText(error)));
    }
  };
  documentSelect.addEventListener("change", () => void showDocument());

  const form = h(
    "form",
    { class: "create", "aria-labelledby": "create-title", novalidate: true },
    h("h1", { id: "create-title" }, "Create association"),
    h("fieldset", {}, h("legend", {}, "Document"), documentField.row, moreDocuments, versionField.row),
    parametersBox,
    nameField.row,
    targets.element,
    schedule.element,
    h(
      "div",
      { class: "field checkbox" },
      cronOnly,
      h("label", { for: cronOnly.id }, "Apply only at the cron interval (not when created)"),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Rate control and compliance"),
      h(
        "div",
        { class: "inline-fields" },
        field("Max concurrency", concurrency, "Nodes at once: a number or a percentage.").row,
        field("Max errors", maxErrors, "Stop after this many failures: a number or a percentage.").row,
        field("Compliance severity", severity).row,
        field("Compliance reporting", sync).row,
      ),
    ),
    formError,
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const slot of [documentField.error, parametersError, targets.error, schedule.error, nameField.error]) {
      slot.textContent = "";
    }
    replace(formError);
    if (!documentSelect.value) {
      documentField.error.textContent = "Choose a document.";
      documentSelect.focus();
      return;
    }
    const values: Record<string, string[]> = {};
    for (const { param, control: c } of parameters) {
      const text = c instanceof HTMLInputElement && c.type === "checkbox" ? String(c.checked) : c.value;
      const value = parameterValues(param, text);
      if (value) values[param.name] = value;
    }
    const request: CreateAssociationRequest = {
      Name: documentSelect.value,
      DocumentVersion: versionSelect.value || undefined,
      Parameters: Object.keys(values).length ? values : undefined,
      Targets: targets.value(),
      ScheduleExpression: schedule.value(),
      ApplyOnlyAtCronInterval: cronOnly.checked || undefined,
      AssociationName: name.value.trim() || undefined,
      MaxConcurrency: concurrency.value.trim() || undefined,
      MaxErrors: maxErrors.value.trim() || undefined,
      ComplianceSeverity: severity.value as CreateAssociationRequest["ComplianceSeverity"],
      SyncCompliance: sync.value as CreateAssociationRequest["SyncCompliance"],
    };
    submit.disabled = true;
    try {
      const created = await ssm().send(new CreateAssociationCommand(request));
      location.hash = route("associations", created.AssociationDescription?.AssociationId ?? "");
    } catch (error) {
      submit.disabled = false;
      const text = errorText(error);
      // The refusal goes next to the part of the form it is about, in AWS's words.
      const slot =
        {
          InvalidParameters: parametersError,
          InvalidTarget: targets.error,
          InvalidInstanceId: targets.error,
          UnsupportedPlatformType: targets.error,
          InvalidSchedule: schedule.error,
          InvalidDocument: documentField.error,
          InvalidDocumentVersion: documentField.error,
        }[errorName(error) ?? ""] ?? undefined;
      if (slot) slot.textContent = text;
      replace(formError, errorBox(slot ? `The association was not created: ${text}` : text));
    }
  });

  main.append(form);
  await loadDocuments();
  if (documentSelect.value) await showDocument();
};

/** A control for one parameter, as its type and allowedValues ask. */
function control(param: DocParameter): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const initial = defaultText(param);
  if (param.allowedValues?.length) {
    return h(
      "select",
      {},
      param.default === undefined ? h("option", { value: "" }, "Choose") : null,
      param.allowedValues.map((v) => h("option", { value: v, selected: v === initial }, v)),
    );
  }
  if (param.type === "Boolean") {
    return h(
      "select",
      {},
      ["true", "false"].map((v) => h("option", { value: v, selected: v === (initial || "false") }, v)),
    );
  }
  if (param.type === "Integer") return h("input", { type: "number", value: initial });
  if (param.type === "StringList" || param.type === "StringMap" || param.type === "MapList") {
    const area = h("textarea", { rows: 3, spellcheck: "false" });
    area.value = initial;
    return area;
  }
  return h("input", { type: "text", value: initial });
}
