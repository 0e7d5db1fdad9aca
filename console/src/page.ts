/**
 * What a page module exports as `render`: its own file, so that pages never import the entry
 * (main.ts loads them), which would make an import cycle.
 */
export type Page = (main: HTMLElement, params: string[], query: URLSearchParams) => Promise<void>;
