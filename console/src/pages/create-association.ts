/**
 * Create an association: a document (own or AWS-owned) and version, its parameters as the
 * document declares them, targets, a schedule with its next runs, rate controls and compliance
 * severity. Errors come back inline, next to the part of the form they are about.
 */
import { CreateAssociationCommand, type CreateAssociationRequest } from "@aws-sdk/client-ssm";
import { errorName, errorText, ssm } from "../api.ts";
import { scheduleEditor, targetsEditor } from "../components.ts";
import { documentPicker } from "../document-picker.ts";
import { errorBox, field, h, replace, route } from "../dom.ts";
import type { Page } from "../page.ts";

/** Document types an association can run. */
const ASSOCIABLE = ["Command", "Policy", "Automation"];

export const render: Page = async (main, _params, query) => {
  const picker = documentPicker({ types: ASSOCIABLE, preselected: query.get("document") });
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

  const form = h(
    "form",
    { class: "create", "aria-labelledby": "create-title", novalidate: true },
    h("h1", { id: "create-title" }, "Create association"),
    picker.documentSet,
    picker.parametersBox,
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
    for (const slot of [picker.documentError, picker.parametersError, targets.error, schedule.error, nameField.error]) {
      slot.textContent = "";
    }
    replace(formError);
    if (!picker.documentSelect.value) {
      picker.documentError.textContent = "Choose a document.";
      picker.documentSelect.focus();
      return;
    }
    const values = picker.values();
    const request: CreateAssociationRequest = {
      Name: picker.documentSelect.value,
      DocumentVersion: picker.versionSelect.value || undefined,
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
          InvalidParameters: picker.parametersError,
          InvalidTarget: targets.error,
          InvalidInstanceId: targets.error,
          UnsupportedPlatformType: targets.error,
          InvalidSchedule: schedule.error,
          InvalidDocument: picker.documentError,
          InvalidDocumentVersion: picker.documentError,
        }[errorName(error) ?? ""] ?? undefined;
      if (slot) slot.textContent = text;
      replace(formError, errorBox(slot ? `The association was not created: ${text}` : text));
    }
  });

  main.append(form);
  await picker.load();
};
