/** Commands (ListCommands): newest first, paged, with their status and counts. */
import { type Command, ListCommandsCommand } from "@aws-sdk/client-ssm";
import { errorText, ssm } from "../api.ts";
import { formatTargets, pager } from "../components.ts";
import { errorBox, formatDate, h, route, statusBadge, table } from "../dom.ts";
import type { Page } from "../page.ts";

/** Who a command was sent to: its node ids, or its targets. */
export const addressed = (c: Command): string =>
  c.InstanceIds?.length ? c.InstanceIds.join(", ") : formatTargets(c.Targets);

export const render: Page = async (main) => {
  const list = pager<Command>({
    label: "Commands",
    load: async (token) => {
      const page = await ssm().send(new ListCommandsCommand({ MaxResults: 25, NextToken: token }));
      return { items: page.Commands ?? [], next: page.NextToken };
    },
    render: (items) =>
      table(
        "Commands",
        [
          { title: "Command", cell: (c) => h("a", { href: route("commands", c.CommandId ?? "") }, c.CommandId) },
          { title: "Document", cell: (c) => c.DocumentName },
          { title: "Comment", cell: (c) => c.Comment || "—" },
          { title: "Targets", cell: (c) => addressed(c) },
          { title: "Requested", cell: (c) => formatDate(c.RequestedDateTime) },
          { title: "Status", cell: (c) => h("span", {}, statusBadge(c.Status), ` ${c.StatusDetails ?? ""}`) },
          { title: "Done / targets", cell: (c) => `${c.CompletedCount ?? 0} / ${c.TargetCount ?? 0}` },
          { title: "Errors", cell: (c) => String(c.ErrorCount ?? 0) },
        ],
        items,
        "No command yet.",
      ),
    onError: (error) => errorBox(errorText(error)),
  });
  main.append(
    h(
      "div",
      { class: "title-row" },
      h("h1", {}, "Commands"),
      h("a", { class: "button", href: "#/commands/new" }, "Run command"),
    ),
    list.element,
  );
};
