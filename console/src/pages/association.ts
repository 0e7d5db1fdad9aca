/**
 * One association: its definition, versions with a diff between two, executions and their
 * targets, and the actions: apply now, edit (UpdateAssociation), delete.
 */
import {
  type AssociationDescription,
  type AssociationExecution,
  type AssociationExecutionTarget,
  type AssociationVersionInfo,
  DeleteAssociationCommand,
  DescribeAssociationCommand,
  DescribeAssociationExecutionsCommand,
  DescribeAssociationExecutionTargetsCommand,
  GetCalendarStateCommand,
  ListAssociationVersionsCommand,
  StartAssociationsOnceCommand,
  UpdateAssociationCommand,
  type UpdateAssociationRequest,
} from "@aws-sdk/client-ssm";
import { errorText, isUnknownOperation, ssm } from "../api.ts";
import {
  confirmDialog,
  definitions,
  formatTargets,
  pager,
  scheduleEditor,
  statusWithCounts,
  targetsEditor,
  unavailable,
} from "../components.ts";
import { canonicalJson, diffLines } from "../diff.ts";
import { errorBox, field, formatDate, h, replace, route, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";

export const render: Page = async (main, [id = ""]) => {
  let association: AssociationDescription;
  try {
    association = (await ssm().send(new DescribeAssociationCommand({ AssociationId: id })))
      .AssociationDescription as AssociationDescription;
  } catch (error) {
    main.append(h("h1", {}, "Association"), errorBox(errorText(error)));
    return;
  }
  const title = association.AssociationName ?? association.AssociationId ?? id;
  const feedback = h("div", { class: "feedback", "aria-live": "polite" });
  const applyNow = h("button", { type: "button" }, "Apply now");
  const edit = h("button", { type: "button", class: "secondary", "aria-expanded": "false" }, "Edit");
  const remove = h("button", { type: "button", class: "danger" }, "Delete");
  const editSlot = h("div");

  applyNow.addEventListener("click", async () => {
    applyNow.disabled = true;
    try {
      await ssm().send(new StartAssociationsOnceCommand({ AssociationIds: [id] }));
      replace(feedback, h("p", { class: "success" }, "Requested: the targeted nodes run it at their next check-in."));
      applyNow.disabled = false;
    } catch (error) {
      if (isUnknownOperation(error)) {
        replace(feedback, unavailable("Applying an association now", "StartAssociationsOnce"));
      } else {
        replace(feedback, errorBox(errorText(error)));
        applyNow.disabled = false;
      }
    }
  });
  edit.addEventListener("click", () => {
    const open = edit.getAttribute("aria-expanded") === "true";
    edit.setAttribute("aria-expanded", String(!open));
    replace(editSlot, open ? null : editForm(association));
  });
  remove.addEventListener("click", async () => {
    if (!(await confirmDialog(`Delete the association ${title}?`, "Delete association"))) return;
    try {
      await ssm().send(new DeleteAssociationCommand({ AssociationId: id }));
      location.hash = "#/associations";
    } catch (error) {
      replace(feedback, errorBox(errorText(error)));
    }
  });

  main.append(
    h("p", { class: "crumbs" }, h("a", { href: "#/associations" }, "Associations"), " / "),
    h("h1", {}, title),
    h("div", { class: "actions" }, applyNow, edit, remove),
    feedback,
    editSlot,
    h(
      "section",
      { "aria-labelledby": "definition-title" },
      h("h2", { id: "definition-title" }, "Definition"),
      describe(association),
    ),
    h(
      "section",
      { "aria-labelledby": "executions-title" },
      h("h2", { id: "executions-title" }, "Executions"),
      executions(id, association.CalendarNames ?? []),
    ),
    h("section", { "aria-labelledby": "versions-title" }, h("h2", { id: "versions-title" }, "Versions"), versions(id)),
  );
};

function describe(a: AssociationDescription): HTMLElement {
  return definitions([
    ["Association ID", a.AssociationId],
    ["Name", a.AssociationName],
    ["Document", h("a", { href: route("documents", a.Name ?? "") }, `${a.Name} (${a.DocumentVersion ?? "$DEFAULT"})`)],
    ["Version", a.AssociationVersion],
    ["Targets", formatTargets(a.Targets, a.InstanceId)],
    ["Schedule", a.ScheduleExpression ?? "None"],
    ["Apply only at cron interval", a.ApplyOnlyAtCronInterval ? "Yes" : undefined],
    [
      "Parameters",
      a.Parameters && Object.keys(a.Parameters).length
        ? h(
            "ul",
            { class: "plain" },
            Object.entries(a.Parameters).map(([k, v]) => h("li", {}, h("code", {}, k), ` = ${v.join(", ")}`)),
          )
        : undefined,
    ],
    ["Max concurrency", a.MaxConcurrency],
    ["Max errors", a.MaxErrors],
    ["Compliance severity", a.ComplianceSeverity],
    ["Sync compliance", a.SyncCompliance],
    [
      "Change calendars",
      a.CalendarNames?.length
        ? h(
            "ul",
            { class: "plain" },
            a.CalendarNames.map((c) => h("li", {}, h("a", { href: route("documents", c) }, c))),
          )
        : undefined,
    ],
    ["Duration", a.Duration ? `${a.Duration} h (after the cron run's start, no target starts)` : undefined],
    ["Alarms", a.AlarmConfiguration ? "Stored, not evaluated (no CloudWatch here)" : undefined],
    ["Status", statusWithCounts(a.Overview?.Status, a.Overview?.AssociationStatusAggregatedCount)],
    ["Detailed status", a.Overview?.DetailedStatus],
    ["Last execution", formatDate(a.LastExecutionDate)],
    ["Last successful execution", formatDate(a.LastSuccessfulExecutionDate)],
    ["Created", formatDate(a.Date)],
    ["Last updated", formatDate(a.LastUpdateAssociationDate)],
  ]);
}

const SEVERITIES = ["", "CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"];

/** The edit form: only what changed is sent, with the version read as an optimistic lock. */
function editForm(a: AssociationDescription): HTMLElement {
  const name = h("input", { value: a.AssociationName ?? "" });
  const documentVersion = h("input", { value: a.DocumentVersion ?? "" });
  const parameters = h("textarea", { rows: 5, spellcheck: "false" });
  parameters.value = JSON.stringify(a.Parameters ?? {}, null, 2);
  const concurrency = h("input", { value: a.MaxConcurrency ?? "" });
  const errors = h("input", { value: a.MaxErrors ?? "" });
  const severity = h(
    "select",
    {},
    SEVERITIES.map((s) => h("option", { value: s, selected: (a.ComplianceSeverity ?? "") === s }, s || "(none)")),
  );
  const schedule = scheduleEditor(a.ScheduleExpression);
  const targets = a.InstanceId ? undefined : targetsEditor(a.Targets);
  const parametersField = field("Parameters (JSON: name → list of values)", parameters);
  const status = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "edit", "aria-label": "Edit association" },
    h("h2", {}, "Edit association"),
    field("Association name", name).row,
    field("Document version", documentVersion, "$DEFAULT, $LATEST or a number.").row,
    parametersField.row,
    targets?.element,
    schedule.element,
    h(
      "div",
      { class: "inline-fields" },
      field("Max concurrency", concurrency, "A number or a percentage.").row,
      field("Max errors", errors, "A number or a percentage.").row,
      field("Compliance severity", severity).row,
    ),
    status,
    h("button", { type: "submit" }, "Save changes"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(status);
    let params: Record<string, string[]>;
    try {
      params = JSON.parse(parameters.value || "{}");
    } catch {
      parametersField.error.textContent = "This is not JSON.";
      return;
    }
    parametersField.error.textContent = "";
    // An update replaces the whole definition (members left out are cleared, as in AWS), so the
    // form sends every member the association has, with the edited ones changed.
    const empty = (text: string) => text.trim() || undefined;
    const request: UpdateAssociationRequest = {
      AssociationId: a.AssociationId,
      AssociationVersion: a.AssociationVersion,
      AssociationName: empty(name.value),
      DocumentVersion: empty(documentVersion.value),
      Parameters: params,
      Targets: targets ? targets.value() : undefined,
      ScheduleExpression: schedule.value(),
      ScheduleOffset: a.ScheduleOffset,
      ApplyOnlyAtCronInterval: a.ApplyOnlyAtCronInterval,
      MaxConcurrency: empty(concurrency.value),
      MaxErrors: empty(errors.value),
      ComplianceSeverity: (severity.value || undefined) as UpdateAssociationRequest["ComplianceSeverity"],
      SyncCompliance: a.SyncCompliance,
      OutputLocation: a.OutputLocation,
      AutomationTargetParameterName: a.AutomationTargetParameterName,
      CalendarNames: a.CalendarNames,
      TargetLocations: a.TargetLocations,
      TargetMaps: a.TargetMaps,
      Duration: a.Duration,
      AlarmConfiguration: a.AlarmConfiguration,
    };
    try {
      await ssm().send(new UpdateAssociationCommand(request));
      // A new version now exists: show the page afresh.
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (error) {
      // AWS's own words, as the API gave them.
      replace(status, errorBox(errorText(error)));
    }
  });
  return form;
}

/**
 * Why a run reads Skipped: with CalendarNames, the calendars' state when it was created
 * (GetCalendarState at its CreatedTime), which says CLOSED when they kept it from running;
 * otherwise its rate controls (MaxErrors, Duration) stopped it before the targets' turn.
 */
function skippedBecause(execution: AssociationExecution, calendars: readonly string[]): HTMLElement {
  const slot = h("span", {}, "—");
  if (execution.Status !== "Skipped" && !execution.ResourceCountByStatus?.includes("Skipped")) return slot;
  if (calendars.length === 0) {
    slot.textContent = "Stopped before every target's turn (MaxErrors or Duration)";
    return slot;
  }
  const at = execution.CreatedTime ? new Date(execution.CreatedTime).toISOString() : undefined;
  slot.textContent = "Reading its calendars…";
  void ssm()
    .send(new GetCalendarStateCommand({ CalendarNames: [...calendars], AtTime: at }))
    .then((state) => {
      slot.textContent =
        state.State === "CLOSED"
          ? `Change Calendar ${calendars.join(", ")} CLOSED when it was due`
          : `Its calendars closed during the run${state.NextTransitionTime ? ` (at ${state.NextTransitionTime})` : ""}, or MaxErrors or Duration stopped it`;
    })
    .catch((error) => {
      slot.textContent = `Its calendars can no longer be read: ${errorText(error)}`;
    });
  return slot;
}

function executions(id: string, calendars: readonly string[]): HTMLElement {
  const targetsSlot = h("div", { "aria-live": "polite" });
  const list = pager<AssociationExecution>({
    label: "Executions",
    load: async (token) => {
      const page = await ssm().send(
        new DescribeAssociationExecutionsCommand({ AssociationId: id, MaxResults: 10, NextToken: token }),
      );
      return { items: page.AssociationExecutions ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Executions",
        [
          { title: "Execution", cell: (e) => e.ExecutionId },
          { title: "Version", cell: (e) => e.AssociationVersion },
          { title: "Status", cell: (e) => statusBadge(e.Status) },
          { title: "Detailed status", cell: (e) => e.DetailedStatus ?? "—" },
          { title: "Targets by status", cell: (e) => e.ResourceCountByStatus ?? "—" },
          { title: "Why skipped", cell: (e) => skippedBecause(e, calendars) },
          { title: "Created", cell: (e) => formatDate(e.CreatedTime) },
          {
            title: "",
            cell: (e) =>
              h(
                "button",
                {
                  type: "button",
                  class: "secondary",
                  onclick: () => replace(targetsSlot, executionTargets(id, e.ExecutionId ?? "")),
                },
                h("span", {}, "Show targets"),
                h("span", { class: "visually-hidden" }, ` of execution ${e.ExecutionId}`),
              ),
          },
        ],
        items,
        "No execution yet.",
      ),
    onError: (error) =>
      isUnknownOperation(error)
        ? unavailable("Execution history", "DescribeAssociationExecutions")
        : errorBox(errorText(error)),
  });
  return h("div", {}, list.element, targetsSlot);
}

function executionTargets(id: string, executionId: string): HTMLElement {
  const list = pager<AssociationExecutionTarget>({
    label: "Execution targets",
    load: async (token) => {
      const page = await ssm().send(
        new DescribeAssociationExecutionTargetsCommand({
          AssociationId: id,
          ExecutionId: executionId,
          MaxResults: 25,
          NextToken: token,
        }),
      );
      return { items: page.AssociationExecutionTargets ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        `Targets of execution ${executionId}`,
        [
          {
            title: "Resource",
            cell: (t) =>
              t.ResourceType === "ManagedInstance"
                ? h("a", { href: route("nodes", t.ResourceId ?? "") }, t.ResourceId)
                : (t.ResourceId ?? ""),
          },
          { title: "Type", cell: (t) => t.ResourceType },
          { title: "Status", cell: (t) => statusBadge(t.Status) },
          { title: "Detailed status", cell: (t) => t.DetailedStatus ?? "—" },
          { title: "Last execution", cell: (t) => formatDate(t.LastExecutionDate) },
          { title: "Output", cell: (t) => outputLink(t) },
        ],
        items,
        "No target in this execution.",
      ),
    onError: (error) =>
      isUnknownOperation(error)
        ? unavailable("Execution targets", "DescribeAssociationExecutionTargets")
        : errorBox(errorText(error)),
  });
  return h(
    "section",
    { class: "execution-targets", "aria-label": `Targets of execution ${executionId}` },
    h("h3", {}, `Targets of execution ${executionId}`),
    list.element,
  );
}

/**
 * Where a target's run printed its output: a pushed run is a Run Command command
 * (OutputSource {OutputSourceId: <command id>, OutputSourceType: "RunCommand"}, as
 * describe-association-execution-targets.rst shows), whose page shows this node's stdout, stderr
 * and exit code (GetCommandInvocation). A run the agent applied at its poll has none here.
 */
function outputLink(target: AssociationExecutionTarget): HTMLElement | string {
  const source = target.OutputSource;
  if (source?.OutputSourceType !== "RunCommand" || !source.OutputSourceId || !target.ResourceId) return "—";
  return h(
    "a",
    {
      href: `${route("commands", source.OutputSourceId)}?node=${encodeURIComponent(target.ResourceId)}`,
      "aria-label": `Output of ${target.ResourceId}`,
    },
    "Output",
  );
}

/** The members a version defines, without the bookkeeping that always differs. */
function versionBody(v: AssociationVersionInfo): unknown {
  const { AssociationId: _id, AssociationVersion: _v, CreatedDate: _d, ...rest } = v;
  return rest;
}

function versions(id: string): HTMLElement {
  const diffSlot = h("div", { "aria-live": "polite" });
  let shown: AssociationVersionInfo[] = [];
  const from = h("select", { onchange: () => showDiff() });
  const to = h("select", { onchange: () => showDiff() });
  const showDiff = () => {
    const a = shown.find((v) => v.AssociationVersion === from.value);
    const b = shown.find((v) => v.AssociationVersion === to.value);
    if (!a || !b) return replace(diffSlot);
    const lines = diffLines(canonicalJson(versionBody(a)), canonicalJson(versionBody(b)));
    replace(
      diffSlot,
      h(
        "pre",
        { class: "diff", "aria-label": `Changes from version ${a.AssociationVersion} to ${b.AssociationVersion}` },
        lines.map((line) =>
          h(
            line.kind === "same" ? "span" : line.kind === "added" ? "ins" : "del",
            { class: `diff-${line.kind}` },
            `${line.kind === "added" ? "+ " : line.kind === "removed" ? "- " : "  "}${line.text}\n`,
          ),
        ),
      ),
    );
  };
  const controls = h(
    "div",
    { class: "inline-fields diff-controls" },
    field("Compare version", from).row,
    field("with version", to).row,
  );
  const list = pager<AssociationVersionInfo>({
    label: "Versions",
    load: async (token) => {
      const page = await ssm().send(
        new ListAssociationVersionsCommand({ AssociationId: id, MaxResults: 25, NextToken: token }),
      );
      return { items: page.AssociationVersions ?? [], next: page.NextToken };
    },
    render: (items) => {
      shown = items;
      const options = (selected: string | undefined) =>
        items.map((v) =>
          h(
            "option",
            { value: v.AssociationVersion, selected: v.AssociationVersion === selected },
            v.AssociationVersion,
          ),
        );
      const sorted = [...items].sort((x, y) => Number(y.AssociationVersion) - Number(x.AssociationVersion));
      replace(from, options(sorted[1]?.AssociationVersion ?? sorted[0]?.AssociationVersion));
      replace(to, options(sorted[0]?.AssociationVersion));
      showDiff();
      return table(
        "Association versions",
        [
          { title: "Version", cell: (v) => v.AssociationVersion },
          { title: "Created", cell: (v) => formatDate(v.CreatedDate) },
          { title: "Name", cell: (v) => v.AssociationName ?? "—" },
          { title: "Document version", cell: (v) => v.DocumentVersion ?? "$DEFAULT" },
          { title: "Schedule", cell: (v) => v.ScheduleExpression ?? "—" },
          { title: "Targets", cell: (v) => formatTargets(v.Targets) },
        ],
        items,
      );
    },
    onError: (error) => errorBox(errorText(error)),
  });
  return h("div", {}, list.element, controls, diffSlot);
}
