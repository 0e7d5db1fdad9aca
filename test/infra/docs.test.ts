/**
 * The README is the front page and docs/ holds the reference (issue 31): every docs/ page is
 * linked from the README, and every relative link of the README and docs/ (a page, a file of the
 * repository, a heading of a page) leads somewhere.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { headingAnchors, relativeLinks } from "../support/markdown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const DOCS = readdirSync(join(ROOT, "docs"))
  .filter((file) => file.endsWith(".md"))
  .map((file) => `docs/${file}`);

describe("the README and docs/", () => {
  it("the README is a front page: under 250 lines", () => {
    expect(read("README.md").split("\n").length).toBeLessThan(250);
  });

  it("the README links every docs/ page", () => {
    const linked = new Set(relativeLinks(read("README.md")).map((target) => target.split("#")[0]));
    expect(DOCS.length).toBeGreaterThan(5);
    for (const page of DOCS) expect(linked, page).toContain(page);
  });

  for (const page of ["README.md", ...DOCS]) {
    it(`${page}: every relative link resolves`, () => {
      const links = relativeLinks(read(page));
      for (const link of links) {
        const [path, anchor] = link.split("#") as [string, string | undefined];
        const target = path === "" ? page : relative(ROOT, join(ROOT, dirname(page), path));
        expect(existsSync(join(ROOT, target)), `${page} -> ${link}`).toBe(true);
        if (anchor !== undefined) {
          expect(headingAnchors(read(target)), `${page} -> ${link}`).toContain(anchor);
        }
      }
    });
  }
});
