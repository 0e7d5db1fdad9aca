/**
 * The part of a form that picks a document (own first, then AWS's, paged as the user asks), its
 * version, and fills in its parameters as the document declares them: Create association and Run
 * command both start with it.
 */
import {
  type DocumentIdentifier,
  GetDocumentCommand,
  ListDocumentsCommand,
  ListDocumentVersionsCommand,
} from "@aws-sdk/client-ssm";
import { errorText, ssm } from "./api.ts";
import { type DocParameter, defaultText, documentParameters, parameterValues } from "./doc-params.ts";
import { append, errorBox, field, h, replace } from "./dom.ts";

export type DocumentPicker = {
  /** The document fieldset and the parameters fieldset, for the form. */
  documentSet: HTMLElement;
  parametersBox: HTMLElement;
  documentSelect: HTMLSelectElement;
  versionSelect: HTMLSelectElement;
  /** Where a refusal about the document, or about its parameters, goes. */
  documentError: HTMLElement;
  parametersError: HTMLElement;
  /** The parameters the form gives (empty fields are left out: the default applies). */
  values: () => Record<string, string[]>;
  /** Loads the first page of documents, and the preselected document's parameters. */
  load: () => Promise<void>;
};

export function documentPicker(options: { types: string[]; preselected?: string | null }): DocumentPicker {
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

  // Pages of each owner, read as the user asks for more.
  const tokens: Record<"Self" | "Amazon", string | undefined | null> = { Self: undefined, Amazon: undefined };
  const addDocuments = (group: HTMLElement, items: DocumentIdentifier[]) =>
    append(
      group,
      items.map((d) =>
        h("option", { value: d.Name, selected: d.Name === options.preselected }, `${d.Name} (${d.DocumentType})`),
      ),
    );
  const loadDocuments = async () => {
    for (const [owner, group] of [
      ["Self", own],
      ["Amazon", amazon],
    ] as const) {
      if (tokens[owner] === null) continue;
      const page = await ssm().send(
        new ListDocumentsCommand({
          Filters: [
            { Key: "Owner", Values: [owner] },
            { Key: "DocumentType", Values: options.types },
          ],
          MaxResults: 50,
          NextToken: tokens[owner] ?? undefined,
        }),
      );
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

  return {
    documentSet: h("fieldset", {}, h("legend", {}, "Document"), documentField.row, moreDocuments, versionField.row),
    parametersBox,
    documentSelect,
    versionSelect,
    documentError: documentField.error,
    parametersError,
    values: () => {
      const values: Record<string, string[]> = {};
      for (const { param, control: c } of parameters) {
        const text = c instanceof HTMLInputElement && c.type === "checkbox" ? String(c.checked) : c.value;
        const value = parameterValues(param, text);
        if (value) values[param.name] = value;
      }
      return values;
    },
    load: async () => {
      await loadDocuments();
      if (documentSelect.value) await showDocument();
    },
  };
}

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
