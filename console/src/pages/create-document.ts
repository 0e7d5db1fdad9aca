/** Create a document: name, type, format and content, refused inline as the API refuses it. */
import { CreateDocumentCommand } from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { errorBox, field, h, replace, route } from "../dom.ts";
import type { Page } from "../page.ts";

const EXAMPLE = `{
  "schemaVersion": "2.2",
  "description": "Say hello",
  "parameters": {
    "message": { "type": "String", "default": "hello", "description": "What to say" }
  },
  "mainSteps": [
    { "action": "aws:runShellScript", "name": "say", "inputs": { "runCommand": ["echo {{ message }}"] } }
  ]
}`;

export const render: Page = async (main) => {
  const name = h("input", { name: "name", required: true, spellcheck: "false" });
  const type = h(
    "select",
    { name: "documentType" },
    ["Command", "Policy", "Automation", "Session", "Package"].map((t) => h("option", { value: t }, t)),
  );
  const format = h(
    "select",
    { name: "documentFormat" },
    ["JSON", "YAML"].map((f) => h("option", { value: f }, f)),
  );
  const versionName = h("input", { name: "versionName" });
  const content = h("textarea", { name: "content", rows: 16, spellcheck: "false", required: true });
  content.value = EXAMPLE;
  const nameField = field(
    "Name",
    name,
    "Letters, numbers, _ - and .; names starting with AWS- or Amazon are reserved.",
  );
  const contentField = field("Content", content);
  const status = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit" }, "Create document");
  const form = h(
    "form",
    { class: "create", "aria-labelledby": "create-document-title", novalidate: true },
    h("h1", { id: "create-document-title" }, "Create document"),
    nameField.row,
    h("div", { class: "inline-fields" }, field("Type", type).row, field("Format", format).row),
    field("Version name (optional)", versionName).row,
    contentField.row,
    status,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    nameField.error.textContent = "";
    contentField.error.textContent = "";
    replace(status);
    submit.disabled = true;
    try {
      const created = await ssm().send(
        new CreateDocumentCommand({
          Name: name.value.trim(),
          Content: content.value,
          DocumentType: type.value as "Command",
          DocumentFormat: format.value as "JSON",
          VersionName: versionName.value.trim() || undefined,
        }),
      );
      location.hash = route("documents", created.DocumentDescription?.Name ?? name.value.trim());
    } catch (error) {
      submit.disabled = false;
      const text = errorText(error);
      if (/DocumentAlreadyExists|Name|name/.test(text)) nameField.error.textContent = text;
      else contentField.error.textContent = text;
      replace(status, errorBox(`The document was not created: ${text}`));
    }
  });
  main.append(form);
};
