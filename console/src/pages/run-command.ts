/**
 * Run command (SendCommand): a Command document (own or AWS-owned) and version, its parameters as
 * the document declares them, targets (node ids or tags), and the rate controls and timeouts.
 * The command's page follows it; refusals come back next to the part of the form they are about.
 */
import { SendCommandCommand, type SendCommandRequest } from "@aws-sdk/client-ssm";
import { errorName, errorText, ssm } from "../api.ts";
import { targetsEditor } from "../components.ts";
import { documentPicker } from "../document-picker.ts";
import { errorBox, field, h, replace, route } from "../dom.ts";
import type { Page } from "../page.ts";

export const render: Page = async (main, _params, query) => {
  const picker = documentPicker({ types: ["Command"], preselected: query.get("document") ?? "AWS-RunShellScript" });
  const targets = targetsEditor();
  const comment = h("input", { name: "comment", maxlength: 100 });
  const concurrency = h("input", { name: "maxConcurrency", placeholder: "50" });
  const maxErrors = h("input", { name: "maxErrors", placeholder: "0" });
  const timeout = h("input", { name: "timeoutSeconds", type: "number", min: 30, placeholder: "3600" });
  const commentField = field("Comment (optional)", comment);
  const controlsError = h("p", { class: "field-error", role: "alert" });
  const formError = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit" }, "Run");

  const form = h(
    "form",
    { class: "create", "aria-labelledby": "run-title", novalidate: true },
    h("h1", { id: "run-title" }, "Run command"),
    picker.documentSet,
    picker.parametersBox,
    targets.element,
    commentField.row,
    h(
      "fieldset",
      {},
      h("legend", {}, "Rate control and timeout"),
      h(
        "div",
        { class: "inline-fields" },
        field("Max concurrency", concurrency, "Nodes at once: a number or a percentage (default 50).").row,
        field("Max errors", maxErrors, "Stop once errors exceed this: a number or a percentage (default 0).").row,
        field("Delivery timeout (seconds)", timeout, "A node that has not received it by then: DeliveryTimedOut.").row,
      ),
      controlsError,
    ),
    formError,
    submit,
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const slot of [picker.documentError, picker.parametersError, targets.error, controlsError]) {
      slot.textContent = "";
    }
    replace(formError);
    if (!picker.documentSelect.value) {
      picker.documentError.textContent = "Choose a document.";
      picker.documentSelect.focus();
      return;
    }
    const values = picker.values();
    const request: SendCommandRequest = {
      DocumentName: picker.documentSelect.value,
      DocumentVersion: picker.versionSelect.value || undefined,
      Parameters: Object.keys(values).length ? values : undefined,
      Targets: targets.value(),
      Comment: comment.value.trim() || undefined,
      MaxConcurrency: concurrency.value.trim() || undefined,
      MaxErrors: maxErrors.value.trim() || undefined,
      TimeoutSeconds: timeout.value ? Number(timeout.value) : undefined,
    };
    submit.disabled = true;
    try {
      const sent = await ssm().send(new SendCommandCommand(request));
      location.hash = route("commands", sent.Command?.CommandId ?? "");
    } catch (error) {
      submit.disabled = false;
      const text = errorText(error);
      const slot =
        {
          InvalidParameters: picker.parametersError,
          InvalidInstanceId: targets.error,
          DuplicateInstanceId: targets.error,
          UnsupportedPlatformType: targets.error,
          InvalidDocument: picker.documentError,
          InvalidDocumentVersion: picker.documentError,
          ValidationException: controlsError,
        }[errorName(error) ?? ""] ?? undefined;
      if (slot) slot.textContent = text;
      replace(formError, errorBox(slot ? `The command was not sent: ${text}` : text));
    }
  });

  main.append(form);
  await picker.load();
};
