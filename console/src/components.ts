/** Pieces several pages share: a pager, target and schedule editors, a confirmation dialog. */
import type { Target } from "@aws-sdk/client-ssm";
import { append, errorBox, field, h, replace, statusBadge } from "./dom.ts";
import { describeRun, previewSchedule } from "./schedule.ts";

/**
 * A list read one API page at a time with the API's NextToken: Previous keeps the tokens it has
 * seen, so nothing is loaded beyond the page shown.
 */
export function pager<T>(options: {
  label: string;
  load: (token: string | undefined) => Promise<{ items: T[]; next?: string }>;
  render: (items: T[]) => Node;
  onError?: (error: unknown) => Node;
}): { element: HTMLElement; reload: () => Promise<void> } {
  const body = h("div", { class: "pager-body", "aria-live": "polite", "aria-busy": "true" });
  const previous = h("button", { type: "button", class: "secondary" }, "Previous page");
  const nextButton = h("button", { type: "button", class: "secondary" }, "Next page");
  const where = h("span", { class: "page-number" });
  const nav = h("nav", { class: "pager", "aria-label": `${options.label} pages` }, previous, where, nextButton);
  const tokens: (string | undefined)[] = [undefined];
  let index = 0;
  let next: string | undefined;
  const show = async () => {
    body.setAttribute("aria-busy", "true");
    previous.disabled = true;
    nextButton.disabled = true;
    try {
      const page = await options.load(tokens[index]);
      next = page.next;
      replace(body, options.render(page.items));
    } catch (error) {
      next = undefined;
      replace(body, options.onError ? options.onError(error) : errorBox(String(error)));
    }
    previous.disabled = index === 0;
    nextButton.disabled = !next;
    // One page only: no page controls to tab through.
    nav.hidden = index === 0 && !next;
    where.textContent = `Page ${index + 1}`;
    body.setAttribute("aria-busy", "false");
  };
  previous.addEventListener("click", () => {
    if (index > 0) index -= 1;
    void show();
  });
  nextButton.addEventListener("click", () => {
    if (!next) return;
    tokens[index + 1] = next;
    index += 1;
    void show();
  });
  const element = h("div", { class: "paged" }, body, nav);
  void show();
  return {
    element,
    reload: () => {
      tokens.length = 1;
      index = 0;
      return show();
    },
  };
}

/** Targets as people read them. */
export function formatTargets(targets: Target[] | undefined, instanceId?: string): string {
  if (instanceId) return instanceId;
  if (!targets?.length) return "—";
  return targets
    .map((t) => {
      if (t.Key === "InstanceIds" && t.Values?.includes("*")) return "All managed nodes";
      if (t.Key === "InstanceIds") return `Nodes ${t.Values?.join(", ")}`;
      if (t.Key?.startsWith("tag:")) return `${t.Key.slice(4)} = ${t.Values?.join(" | ")}`;
      if (t.Key === "tag-key") return `Tag key ${t.Values?.join(" | ")}`;
      return `${t.Key}: ${t.Values?.join(", ")}`;
    })
    .join("; ");
}

/** The overview status with a count per status: "Success · Success 2, Failed 1". */
export function statusWithCounts(status: string | undefined, counts: Record<string, number> | undefined): HTMLElement {
  const parts = Object.entries(counts ?? {}).map(([name, n]) => `${name} ${n}`);
  return h("span", { class: "status-counts" }, statusBadge(status), parts.length ? ` ${parts.join(", ")}` : "");
}

/** Target editor: node ids, tags, or every node. */
export function targetsEditor(initial?: Target[]): { element: HTMLElement; value: () => Target[]; error: HTMLElement } {
  const name = `targets-${Math.random().toString(36).slice(2)}`;
  const initialAll = initial?.some((t) => t.Key === "InstanceIds" && t.Values?.includes("*"));
  const initialIds = initial?.find((t) => t.Key === "InstanceIds" && !t.Values?.includes("*"));
  const initialTags = initial?.filter((t) => t.Key?.startsWith("tag:")) ?? [];
  const mode = initialAll ? "all" : initialTags.length ? "tags" : "ids";
  const radio = (value: string, label: string) =>
    h(
      "label",
      { class: "choice" },
      h("input", { type: "radio", name, value, checked: mode === value, onchange: () => sync() }),
      label,
    );
  const ids = h("textarea", { rows: 2, placeholder: "mi-0123456789abcdef0, i-0abcdef1234567890" });
  ids.value = initialIds?.Values?.join(", ") ?? "";
  const tags = h("textarea", { rows: 2, placeholder: "env=prod\nrole=web" });
  tags.value = initialTags.map((t) => `${t.Key?.slice(4)}=${t.Values?.join(",")}`).join("\n");
  const idsField = field("Node IDs", ids, "Separated by commas, spaces or lines.");
  const tagsField = field("Tags", tags, "One key=value per line; a node must have every tag. Values may list a,b.");
  const error = h("p", { class: "field-error", role: "alert" });
  const fieldset = h(
    "fieldset",
    { class: "targets" },
    h("legend", {}, "Targets"),
    h(
      "div",
      { class: "choices" },
      radio("ids", "By node IDs"),
      radio("tags", "By tags"),
      radio("all", "All managed nodes"),
    ),
    idsField.row,
    tagsField.row,
    error,
  );
  const current = () => (fieldset.querySelector(`input[name="${name}"]:checked`) as HTMLInputElement | null)?.value;
  const sync = () => {
    idsField.row.hidden = current() !== "ids";
    tagsField.row.hidden = current() !== "tags";
  };
  sync();
  return {
    element: fieldset,
    error,
    value: () => {
      if (current() === "all") return [{ Key: "InstanceIds", Values: ["*"] }];
      if (current() === "tags") {
        return tags.value
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
          .map((line) => {
            const [key = "", ...rest] = line.split("=");
            return {
              Key: `tag:${key.trim()}`,
              Values: rest
                .join("=")
                .split(",")
                .map((v) => v.trim()),
            };
          });
      }
      const list = ids.value.split(/[\s,]+/).filter(Boolean);
      return [{ Key: "InstanceIds", Values: list }];
    },
  };
}

/** Schedule editor: none, a rate, or a cron/at expression, with the next five runs previewed. */
export function scheduleEditor(initial?: string): {
  element: HTMLElement;
  value: () => string | undefined;
  error: HTMLElement;
} {
  const name = `schedule-${Math.random().toString(36).slice(2)}`;
  const rateMatch = initial?.match(/^rate\((\d+) (minute|hour|day)s?\)$/);
  const mode = !initial ? "none" : rateMatch ? "rate" : "cron";
  const radio = (value: string, label: string) =>
    h(
      "label",
      { class: "choice" },
      h("input", { type: "radio", name, value, checked: mode === value, onchange: () => update() }),
      label,
    );
  const every = h("input", { type: "number", min: 1, value: rateMatch?.[1] ?? "30", oninput: () => update() });
  const unit = h(
    "select",
    { onchange: () => update() },
    ["minute", "hour", "day"].map((u) => h("option", { value: u, selected: rateMatch?.[2] === u }, `${u}s`)),
  );
  if (!rateMatch) unit.value = "minute";
  const expression = h("input", {
    type: "text",
    value: mode === "cron" ? initial : "cron(0 2 ? * SUN *)",
    spellcheck: "false",
    oninput: () => update(),
  });
  const everyField = field("Every", every);
  const unitField = field("Unit", unit);
  const rateRow = h("div", { class: "inline-fields" }, everyField.row, unitField.row);
  const cronField = field(
    "Expression",
    expression,
    "cron(minutes hours day-of-month month day-of-week year), in UTC; or at(yyyy-mm-ddThh:mm:ss).",
  );
  const preview = h("div", { class: "schedule-preview", "aria-live": "polite" });
  const error = h("p", { class: "field-error", role: "alert" });
  const fieldset = h(
    "fieldset",
    { class: "schedule" },
    h("legend", {}, "Schedule"),
    h(
      "div",
      { class: "choices" },
      radio("none", "None (run once)"),
      radio("rate", "Rate"),
      radio("cron", "Cron or at"),
    ),
    rateRow,
    cronField.row,
    preview,
    error,
  );
  const current = () => (fieldset.querySelector(`input[name="${name}"]:checked`) as HTMLInputElement | null)?.value;
  const value = (): string | undefined => {
    if (current() === "rate") {
      const n = Number(every.value);
      return `rate(${n} ${unit.value}${n === 1 ? "" : "s"})`;
    }
    if (current() === "cron") return expression.value.trim();
    return undefined;
  };
  const update = () => {
    rateRow.hidden = current() !== "rate";
    cronField.row.hidden = current() !== "cron";
    const text = value();
    if (!text) {
      replace(preview, h("p", { class: "hint" }, "Runs once when created, then when its definition changes."));
      return;
    }
    const now = new Date();
    const result = previewSchedule(text, now);
    if (result.error !== undefined) {
      replace(preview, h("p", { class: "warning" }, `Preview unavailable: ${result.error}`));
      return;
    }
    replace(
      preview,
      h("p", {}, h("strong", {}, result.summary)),
      result.next.length
        ? h(
            "ol",
            { class: "next-runs", "aria-label": "Next run times" },
            result.next.map((when) => h("li", {}, describeRun(when, now))),
          )
        : h("p", { class: "hint" }, "No run in the next five years."),
    );
  };
  update();
  return { element: fieldset, value, error };
}

/** A modal confirmation (native <dialog>: focus trapped, Escape cancels). */
export function confirmDialog(question: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, question),
      h(
        "form",
        { method: "dialog", class: "actions" },
        h("button", { value: "cancel", class: "secondary", autofocus: true }, "Cancel"),
        h("button", { value: "confirm", class: "danger" }, confirmLabel),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** What a page shows where an operation the server does not serve yet would be. */
export function unavailable(what: string, operation: string): HTMLElement {
  return h(
    "p",
    { class: "note", role: "status" },
    `${what} is not available on this server yet (it answers UnknownOperationException to ${operation}).`,
  );
}

/** A definition list from label/value pairs, skipping empty values. */
export function definitions(pairs: [string, Node | string | undefined][]): HTMLElement {
  const list = h("dl", { class: "definition" });
  for (const [label, value] of pairs) {
    if (value === undefined || value === "") continue;
    append(list, [h("dt", {}, label), h("dd", {}, value)]);
  }
  return list;
}
