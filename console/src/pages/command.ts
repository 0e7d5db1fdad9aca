/**
 * One command: its status and counts (ListCommands), each node's invocation with each plugin's
 * status and output (ListCommandInvocations with Details), a node's full output
 * (GetCommandInvocation), refresh, and cancel (CancelCommand).
 */
import {
  CancelCommandCommand,
  type CommandInvocation,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
} from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { confirmDialog, definitions, pager } from "../components.ts";
import { errorBox, formatDate, h, replace, route, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";
import { addressed } from "./commands.ts";

export const render: Page = async (main, [id = ""], query) => {
  const summary = h("section", { "aria-live": "polite" });
  const actions = h("div", { class: "actions" });
  const refresh = h("button", { type: "button", class: "secondary" }, "Refresh");
  const cancel = h("button", { type: "button", class: "danger" }, "Cancel command");
  actions.append(refresh, cancel);
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: "#/commands" }, "Commands"), " / "),
    h("h1", {}, id),
    actions,
    summary,
  );

  const showSummary = async () => {
    try {
      const [command] = (await ssm().send(new ListCommandsCommand({ CommandId: id }))).Commands ?? [];
      if (!command) return;
      cancel.disabled = ["Success", "Failed", "TimedOut", "Cancelled"].includes(command.Status ?? "");
      replace(
        summary,
        definitions([
          ["Status", h("span", {}, statusBadge(command.Status), ` ${command.StatusDetails ?? ""}`)],
          ["Document", `${command.DocumentName}${command.DocumentVersion ? ` (${command.DocumentVersion})` : ""}`],
          ["Comment", command.Comment || undefined],
          ["Targets", addressed(command)],
          [
            "Counts",
            `${command.CompletedCount ?? 0} of ${command.TargetCount ?? 0} done, ${command.ErrorCount ?? 0} errors, ${command.DeliveryTimedOutCount ?? 0} delivery timed out`,
          ],
          ["Rate control", `MaxConcurrency ${command.MaxConcurrency}, MaxErrors ${command.MaxErrors}`],
          ["Requested", formatDate(command.RequestedDateTime)],
          ["Expires", formatDate(command.ExpiresAfter)],
          ["Parameters", JSON.stringify(command.Parameters ?? {})],
        ]),
      );
    } catch (error) {
      replace(summary, errorBox(errorText(error)));
    }
  };

  const invocations = pager<CommandInvocation>({
    label: "Invocations",
    load: async (token) => {
      const page = await ssm().send(
        new ListCommandInvocationsCommand({ CommandId: id, Details: true, MaxResults: 25, NextToken: token }),
      );
      return { items: page.CommandInvocations ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Invocations",
        [
          {
            title: "Node",
            cell: (i) => h("a", { href: route("nodes", i.InstanceId ?? "") }, i.InstanceId),
          },
          { title: "Status", cell: (i) => h("span", {}, statusBadge(i.Status), ` ${i.StatusDetails ?? ""}`) },
          {
            title: "Plugins",
            cell: (i) =>
              h(
                "div",
                {},
                (i.CommandPlugins ?? []).map((p) =>
                  h(
                    "details",
                    { class: "plugin-output" },
                    h("summary", {}, `${p.Name}: ${p.StatusDetails ?? p.Status} (code ${p.ResponseCode})`),
                    h("pre", {}, p.Output || "(no output)"),
                  ),
                ),
              ),
          },
          { title: "Output", cell: (i) => fullOutput(id, i.InstanceId ?? "") },
        ],
        items,
        "No invocation.",
      ),
    onError: (error) => errorBox(errorText(error)),
  });

  refresh.addEventListener("click", () => {
    void showSummary();
    void invocations.reload();
  });
  cancel.addEventListener("click", async () => {
    if (!(await confirmDialog(`Cancel command ${id} on every node that has not finished it?`, "Cancel command")))
      return;
    try {
      await ssm().send(new CancelCommandCommand({ CommandId: id }));
    } catch (error) {
      summary.prepend(errorBox(errorText(error)));
    }
    await showSummary();
    await invocations.reload();
  });

  // Opened from an association run's target (its OutputSource): that node's output first.
  const node = query.get("node");
  if (node) {
    const output = h("section", { "aria-labelledby": "node-output-title", class: "node-output" });
    output.append(h("h2", { id: "node-output-title" }, `Output of ${node}`), nodeOutput(id, node));
    main.append(output);
  }
  main.append(h("section", {}, h("h2", {}, "Invocations"), invocations.element));
  await showSummary();
};

/** One node's invocation of the command: its status, exit code, stdout and stderr (GetCommandInvocation). */
function nodeOutput(commandId: string, instanceId: string): HTMLElement {
  const slot = h("div", { "aria-live": "polite" }, h("p", { class: "loading" }, "Loading…"));
  void ssm()
    .send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }))
    .then((result) =>
      replace(
        slot,
        definitions([
          ["Node", h("a", { href: route("nodes", instanceId) }, instanceId)],
          ["Status", h("span", {}, statusBadge(result.Status), ` ${result.StatusDetails ?? ""}`)],
          ["Exit code", String(result.ResponseCode ?? "—")],
          ["Comment", result.Comment || undefined],
        ]),
        ...outputBlocks(result),
      ),
    )
    .catch((error) => replace(slot, errorBox(errorText(error))));
  return slot;
}

/** A node's whole stdout and stderr, as GetCommandInvocation returns them. */
function outputBlocks(result: { StandardOutputContent?: string; StandardErrorContent?: string }): HTMLElement[] {
  return [
    h("h3", {}, "Standard output"),
    h("pre", { class: "stdout" }, result.StandardOutputContent || "(empty)"),
    h("h3", {}, "Standard error"),
    h("pre", { class: "stderr" }, result.StandardErrorContent || "(empty)"),
  ];
}

/** A button that reads one node's whole output (GetCommandInvocation: up to 24,000 and 8,000 characters). */
function fullOutput(commandId: string, instanceId: string): HTMLElement {
  const slot = h("div", {});
  const show = h("button", { type: "button", class: "secondary" }, "Full output");
  show.addEventListener("click", async () => {
    try {
      const result = await ssm().send(
        new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }),
      );
      replace(
        slot,
        ...outputBlocks(result),
        h("p", { class: "hint" }, `Response code ${result.ResponseCode}, ${result.ExecutionElapsedTime || "not run"}`),
      );
    } catch (error) {
      replace(slot, errorBox(errorText(error)));
    }
  });
  slot.append(show);
  return slot;
}
