/** A few DOM helpers: the console is plain TypeScript and DOM, no framework. */

type Child = Node | string | number | false | null | undefined | Child[];
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

/** Creates an element; `on*` attributes become listeners, `true` becomes an empty attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === "value" && "value" in element) {
      (element as HTMLInputElement).value = String(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

let uid = 0;
/** A unique id, to tie labels and descriptions to their fields. */
export function newId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled field: label, control, optional hint, and a slot for an inline error. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: Child,
): { row: HTMLDivElement; error: HTMLParagraphElement } {
  control.id ||= newId("f");
  const described: string[] = [];
  const hintNode = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : undefined;
  if (hintNode) described.push(hintNode.id);
  const error = h("p", { class: "field-error", id: `${control.id}-error`, role: "alert" });
  described.push(error.id);
  control.setAttribute("aria-describedby", described.join(" "));
  const row = h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintNode, error);
  return { row, error };
}

export type Column<T> = { title: string; cell: (row: T) => Child; className?: string };

/** A table with a caption and header cells scoped to columns. */
export function table<T>(caption: string, columns: Column<T>[], rows: T[], empty = "Nothing here yet."): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: "visually-hidden" }, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          columns.map((column) => h("th", { scope: "col" }, column.title)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            {},
            columns.map((column) => h("td", { class: column.className }, column.cell(row))),
          ),
        ),
      ),
    ),
  );
}

/** Dates as UTC, the zone State Manager schedules in; unknown as a dash. */
export function formatDate(value: Date | undefined): string {
  if (!value || Number.isNaN(value.getTime())) return "—";
  return `${value.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A status word with its colour class, for people who scan. */
export function statusBadge(status: string | undefined): HTMLElement {
  if (!status) return h("span", { class: "empty" }, "—");
  return h("span", { class: `badge status-${statusClass(status)}` }, status);
}

export function statusClass(status: string): string {
  const s = status.toLowerCase();
  if (["success", "compliant", "online", "active", "associated"].includes(s)) return "ok";
  if (["failed", "timedout", "non_compliant", "connectionlost", "cancelled", "deleting"].includes(s)) return "bad";
  if (["pending", "inprogress", "creating", "updating", "running"].includes(s)) return "busy";
  return "neutral";
}

/** An error box, for a refusal the user has to read. */
export function errorBox(message: string): HTMLElement {
  return h("div", { class: "error-box", role: "alert" }, message);
}

export function link(href: string, text: string): HTMLAnchorElement {
  return h("a", { href }, text);
}

/** Route parameters travel in the hash; names may hold any character. */
export function route(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join("/")}`;
}
