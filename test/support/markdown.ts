/**
 * What the tests read of the README and docs/: fenced code blocks, relative links, and the
 * anchors GitHub gives headings (so that a link to `page.md#heading` can be checked).
 */

/** A fenced block's language (the word after the opening fence) and its text. */
export type FencedBlock = { language: string; text: string };

/** Every fenced block (```lang ... ```) of a Markdown text, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((block) => ({
    language: block[1] as string,
    text: block[2] as string,
  }));
}

/** The text outside fenced blocks and inline code: what links and headings are read from. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```$/gm, "").replace(/`[^`\n]*`/g, "``");
}

/** The targets of links and images that are not absolute URLs: `page.md`, `page.md#anchor`, `#anchor`. */
export function relativeLinks(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((link) => link[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/**
 * The anchors of a page's headings as GitHub makes them: lower case, punctuation but `-` and `_`
 * dropped, spaces as `-`; a repeated heading gets `-1`, `-2`, ...
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of markdown.replace(/^```[\s\S]*?^```$/gm, "").matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = (heading[1] as string)
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
