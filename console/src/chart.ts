/**
 * "What ran, when, and how did it go", drawn: one row per association with a dot at its last
 * execution on a time axis and a bar of its targets' statuses, coloured by status. The same
 * numbers are in the table next to it, and the picture has a text alternative.
 */
import { h, statusClass, svg } from "./dom.ts";

export type ChartRow = { label: string; href: string; when?: Date; status?: string; counts?: Record<string, number> };

const WIDTH = 1000;
const ROW = 26;
const LABEL = 220;
const BAR = 200;

export function lastExecutionsChart(rows: ChartRow[], now = new Date()): HTMLElement {
  const dated = rows.filter((row) => row.when);
  const earliest = Math.min(now.getTime() - 24 * 3600_000, ...dated.map((row) => (row.when as Date).getTime()));
  const span = Math.max(now.getTime() - earliest, 1);
  const axisStart = LABEL + 10;
  const axisEnd = WIDTH - BAR - 20;
  const x = (date: Date) => axisStart + ((date.getTime() - earliest) / span) * (axisEnd - axisStart);
  const height = rows.length * ROW + 30;
  const described = rows
    .map((row) => `${row.label}: ${row.status ?? "never ran"}${row.when ? ` at ${row.when.toISOString()}` : ""}`)
    .join("; ");
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: "img",
    "aria-label": `Last execution per association. ${described}`,
    class: "timeline",
  });
  chart.append(svg("title", {}, "Last execution per association, coloured by status"));
  rows.forEach((row, i) => {
    const y = i * ROW + 16;
    const anchor = svg("a", { href: row.href });
    anchor.append(svg("text", { x: 0, y: y + 4, class: "label" }, truncate(row.label, 30)));
    chart.append(anchor);
    chart.append(svg("line", { x1: axisStart, x2: axisEnd, y1: y, y2: y, class: "track" }));
    if (row.when) {
      const dot = svg("circle", {
        cx: x(row.when),
        cy: y,
        r: 6,
        class: `dot status-${statusClass(row.status ?? "")}`,
      });
      dot.append(svg("title", {}, `${row.status ?? ""} ${row.when.toISOString()}`));
      chart.append(dot);
    }
    const total = Object.values(row.counts ?? {}).reduce((a, b) => a + b, 0);
    let offset = WIDTH - BAR;
    for (const [status, n] of Object.entries(row.counts ?? {})) {
      const width = (n / total) * BAR;
      const rect = svg("rect", {
        x: offset,
        y: y - 7,
        width,
        height: 14,
        class: `bar status-${statusClass(status)}`,
      });
      rect.append(svg("title", {}, `${status}: ${n}`));
      chart.append(rect);
      offset += width;
    }
  });
  const axisY = rows.length * ROW + 20;
  chart.append(svg("text", { x: axisStart, y: axisY, class: "axis" }, new Date(earliest).toISOString().slice(0, 16)));
  chart.append(svg("text", { x: axisEnd, y: axisY, class: "axis end" }, "now"));
  chart.append(svg("text", { x: WIDTH - BAR, y: axisY, class: "axis" }, "targets by status"));
  return h("figure", { class: "chart" }, chart, h("figcaption", {}, legend()));
}

function legend(): HTMLElement {
  return h(
    "ul",
    { class: "legend" },
    [
      ["ok", "Success"],
      ["busy", "Pending / in progress"],
      ["bad", "Failed / timed out"],
      ["neutral", "Other"],
    ].map(([cls, text]) => h("li", {}, h("span", { class: `swatch status-${cls}`, "aria-hidden": "true" }), text)),
  );
}

function truncate(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
