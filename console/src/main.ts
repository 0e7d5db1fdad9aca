/**
 * The console's entry: the sign-in form or the shell, and a hash router. Pages (and the SDK they
 * use) load on demand, so the first paint needs only this small module and the stylesheet.
 */
import "./styles.css";
import { errorBox, h, replace } from "./dom.ts";
import type { Page } from "./page.ts";
import { clearSession, defaultEndpoint, loadSession, type Session, saveSession } from "./session.ts";

/** Routes: `#/<section>/<param>`; each page module exports `render`. */
const ROUTES: { pattern: RegExp; title: string; load: () => Promise<{ render: Page }> }[] = [
  { pattern: /^associations\/new$/, title: "Create association", load: () => import("./pages/create-association.ts") },
  { pattern: /^associations\/([^/]+)$/, title: "Association", load: () => import("./pages/association.ts") },
  { pattern: /^associations$/, title: "Associations", load: () => import("./pages/associations.ts") },
  { pattern: /^nodes\/([^/]+)$/, title: "Managed node", load: () => import("./pages/node.ts") },
  { pattern: /^nodes$/, title: "Managed nodes", load: () => import("./pages/nodes.ts") },
  { pattern: /^documents\/new$/, title: "Create document", load: () => import("./pages/create-document.ts") },
  { pattern: /^documents\/([^/]+)$/, title: "Document", load: () => import("./pages/document.ts") },
  { pattern: /^documents$/, title: "Documents", load: () => import("./pages/documents.ts") },
  { pattern: /^compliance$/, title: "Compliance", load: () => import("./pages/compliance.ts") },
  { pattern: /^commands\/new$/, title: "Run command", load: () => import("./pages/run-command.ts") },
  { pattern: /^commands\/([^/]+)$/, title: "Command", load: () => import("./pages/command.ts") },
  { pattern: /^commands$/, title: "Commands", load: () => import("./pages/commands.ts") },
];

const NAV: [string, string][] = [
  ["#/associations", "Associations"],
  ["#/associations/new", "Create association"],
  ["#/nodes", "Managed nodes"],
  ["#/documents", "Documents"],
  ["#/compliance", "Compliance"],
  ["#/commands", "Commands"],
  ["#/commands/new", "Run command"],
];

const app = document.getElementById("app") as HTMLElement;

function signIn(message?: string): void {
  document.title = "Sign in · State Manager console";
  const field = (label: string, input: HTMLInputElement) =>
    h("div", { class: "field" }, h("label", { for: input.id }, label), input);
  const accessKeyId = h("input", {
    id: "access-key-id",
    name: "accessKeyId",
    required: true,
    autocomplete: "username",
  });
  const secret = h("input", {
    id: "secret-access-key",
    name: "secretAccessKey",
    type: "password",
    required: true,
    autocomplete: "current-password",
  });
  const token = h("input", { id: "session-token", name: "sessionToken", autocomplete: "off" });
  const region = h("input", { id: "region", name: "region", value: "us-east-1", required: true });
  const endpoint = h("input", {
    id: "endpoint",
    name: "endpoint",
    type: "url",
    value: defaultEndpoint(),
    required: true,
  });
  const status = h("div", { "aria-live": "polite" }, message ? errorBox(message) : null);
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "State Manager console"),
    h(
      "p",
      { class: "hint" },
      "Sign in with an access key of this control plane. It is kept in this tab's session storage only and is used to sign requests, never sent.",
    ),
    field("Access key ID", accessKeyId),
    field("Secret access key", secret),
    h(
      "details",
      {},
      h("summary", {}, "More settings"),
      field("Session token (temporary credentials)", token),
      field("Region", region),
      field("Endpoint", endpoint),
    ),
    status,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    replace(status, h("p", {}, "Signing in…"));
    const session: Session = {
      accessKeyId: accessKeyId.value.trim(),
      secretAccessKey: secret.value,
      sessionToken: token.value.trim() || undefined,
      region: region.value.trim(),
      endpoint: endpoint.value.trim().replace(/\/$/, ""),
    };
    const api = await import("./api.ts");
    const { ListDocumentsCommand } = await import("@aws-sdk/client-ssm");
    api.connect(session);
    try {
      // Any signed call proves the key; this one is cheap and read-only.
      await api.ssm().send(new ListDocumentsCommand({ MaxResults: 1 }));
      saveSession(session);
      if (!location.hash || location.hash === "#/") location.hash = "#/associations";
      shell(session);
    } catch (error) {
      api.disconnect();
      submit.disabled = false;
      replace(status, errorBox(`Sign-in failed. ${api.errorText(error)}`));
    }
  });
  replace(app, h("main", { id: "main", class: "narrow" }, form));
  accessKeyId.focus();
}

function shell(session: Session): void {
  const main = h("main", { id: "main", tabindex: "-1" });
  const signOut = h("button", { type: "button", class: "secondary" }, "Sign out");
  signOut.addEventListener("click", async () => {
    clearSession();
    (await import("./api.ts")).disconnect();
    location.hash = "";
    signIn();
  });
  replace(
    app,
    h("a", { class: "skip", href: "#main", onclick: skipToMain }, "Skip to content"),
    h(
      "header",
      { class: "top" },
      h("span", { class: "brand" }, "State Manager"),
      h(
        "nav",
        { "aria-label": "Sections" },
        h(
          "ul",
          {},
          NAV.map(([href, text]) => h("li", {}, h("a", { href }, text))),
        ),
      ),
      h("span", { class: "who" }, `${session.accessKeyId} · ${session.region}`),
      signOut,
    ),
    main,
  );
  void route(main);
  window.onhashchange = () => void route(main);
}

function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

let generation = 0;

async function route(main: HTMLElement): Promise<void> {
  const [path = "", queryText = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const found = ROUTES.map((r) => ({ r, match: path.match(r.pattern) })).find((x) => x.match);
  if (!found?.match) {
    location.hash = "#/associations";
    return;
  }
  const mine = ++generation;
  for (const a of document.querySelectorAll<HTMLAnchorElement>("header nav a")) {
    const current = `#/${path}` === a.getAttribute("href");
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  replace(main, h("p", { class: "loading" }, "Loading…"));
  try {
    const [{ render }, api] = await Promise.all([found.r.load(), import("./api.ts")]);
    const session = loadSession();
    if (!session) return signIn();
    api.connect(session);
    if (mine !== generation) return;
    const page = h("div", { class: "page" });
    document.title = `${found.r.title} · State Manager console`;
    const params = found.match.slice(1).map((p) => decodeURIComponent(p));
    await render(page, params, new URLSearchParams(queryText));
    if (mine !== generation) return;
    replace(main, page);
    // Move focus to the new page's heading, so keyboard and screen-reader users land on it.
    const heading = main.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  } catch (error) {
    if (mine === generation) replace(main, errorBox(`This page failed to load: ${String(error)}`));
  }
}

const saved = loadSession();
if (saved) shell(saved);
else signIn();
