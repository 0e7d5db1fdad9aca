/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against the real
 * local server on a free port: sign in, create a document and an association through the forms,
 * watch a node's run change the association's status, edit, delete, and the AssociatedInstances
 * refusal. Screenshots of the main pages go to screenshots/console/ (ignored by git).
 *
 * The execution operations (DescribeAssociationExecutions, DescribeAssociationExecutionTargets)
 * are covered by "shows an execution and its targets after a node's run"; Run Command's pages
 * (SendCommand, ListCommands, ListCommandInvocations, GetCommandInvocation, CancelCommand) by
 * "runs a command through the Run command form", a replayed agent running what it sends; an
 * association run's output through its targets' links by "links each target of an association's
 * run to its output".
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildConsole } from "../../console/build.ts";
import { type LocalServer, startLocalServer } from "../../infra/local/server.ts";
import { FakeAgent } from "../support/agent.ts";
import { type Browser, launchChromium } from "../support/browser.ts";
import { DEFAULT_IDENTITY, type Identity, signedHeaders } from "../support/identity.ts";
import { invoke } from "../support/invoke.ts";
import { ReplayedAgent, shellOutcome } from "../support/run-command-agent.ts";
import { freshTable } from "../support/table.ts";

const SHOTS = new URL("../../screenshots/console/", import.meta.url).pathname;

let server: LocalServer;
let browser: Browser;
let page: Page;
let host: string;
let consoleDir: string;
const errors: string[] = [];

beforeAll(async () => {
  await freshTable();
  const built = await buildConsole(mkdtempSync(join(tmpdir(), "osm-console-")));
  consoleDir = built.dir;
  server = await startLocalServer({ port: 0, consoleDir });
  host = new URL(server.url).host;
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  // An uncaught error in the page fails the test that caused it, with the page's own message.
  page.on("pageerror", (error) => errors.push(error.message));
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
});

/** A JSON 1.1 call over HTTP, as any client (or a node, with its credentials) makes it. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response members freely
async function api(operation: string, request: unknown, identity: Identity = DEFAULT_IDENTITY): Promise<any> {
  const body = JSON.stringify(request);
  const headers = await signedHeaders(operation, body, identity, { host });
  const response = await fetch(`${server.url}/`, { method: "POST", headers, body });
  const answer = await response.json();
  if (response.status !== 200) throw Object.assign(new Error(`${operation}: ${JSON.stringify(answer)}`), answer);
  return answer;
}

/** Whether the server serves an operation yet (the execution operations are being added). */
async function serves(operation: string, request: unknown): Promise<boolean> {
  try {
    await api(operation, request);
    return true;
  } catch (error) {
    return (error as { __type?: string }).__type !== "UnknownOperationException";
  }
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: false });
}

async function go(hash: string): Promise<void> {
  await page.goto(`${server.url}/console/${hash}`);
}

const DOCUMENT = "console-hello";
const CONTENT = JSON.stringify(
  {
    schemaVersion: "2.2",
    description: "Says something",
    parameters: {
      message: { type: "String", default: "hello", description: "What to say" },
      level: { type: "String", default: "info", allowedValues: ["info", "warn"], description: "Log level" },
    },
    mainSteps: [{ action: "aws:runShellScript", name: "say", inputs: { runCommand: ["echo {{ message }}"] } }],
  },
  null,
  2,
);

let associationId = "";
let node: { id: string; identity: Identity };

/** A node registered with an activation, with credentials of its own, tagged env=prod. */
async function registeredNode(): Promise<{ id: string; identity: Identity }> {
  const { ActivationId, ActivationCode } = await api("CreateActivation", { IamRole: "SSMServiceRole" });
  const agent = new FakeAgent();
  // Registration and the role token are signed with the node's RSA key (test/support/agent.ts).
  expect((await agent.register(ActivationId, ActivationCode)).status).toBe(200);
  const token = (await agent.roleToken()).body;
  const identity = {
    accessKeyId: token.AccessKeyId as string,
    secretAccessKey: token.SecretAccessKey as string,
    sessionToken: token.SessionToken as string,
  };
  const id = agent.instanceId as string;
  await api("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux", AgentVersion: "3.3.0.0" }, identity);
  await api("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: id,
    Tags: [{ Key: "env", Value: "prod" }],
  });
  return { id, identity };
}

describe("the web console", () => {
  it("is served at /console/ and signs in with test/test", async () => {
    const redirect = await fetch(`${server.url}/console`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    await go("");
    await page.getByRole("heading", { name: "State Manager console" }).waitFor();
    // A wrong secret is refused with AWS's words, and nothing is kept.
    await page.getByLabel("Access key ID").fill("test");
    await page.getByLabel("Secret access key").fill("wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Sign-in failed. InvalidSignatureException").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await shot("sign-in");

    await page.getByLabel("Secret access key").fill("test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Associations", level: 1 }).waitFor();
    await page.getByText("No association yet.").waitFor();
    // The key is in this tab's session storage, nowhere else.
    expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem("osm-console-session") ?? "{}"))).toMatchObject({
      accessKeyId: "test",
      region: "us-east-1",
      endpoint: server.url,
    });
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it("creates a document through the form, refusing a duplicate inline", async () => {
    node = await registeredNode();
    await go("#/documents/new");
    await page.getByLabel("Name", { exact: true }).fill(DOCUMENT);
    await page.getByLabel("Content").fill(CONTENT);
    await page.getByRole("button", { name: "Create document" }).click();
    await page.getByRole("heading", { name: DOCUMENT, level: 1 }).waitFor();
    await page.getByText("aws:runShellScript").first().waitFor();

    await go("#/documents/new");
    await page.getByLabel("Name", { exact: true }).fill(DOCUMENT);
    await page.getByLabel("Content").fill(CONTENT);
    await page.getByRole("button", { name: "Create document" }).click();
    await page.getByText(`DocumentAlreadyExists: Document with same name ${DOCUMENT} already exists`).first().waitFor();

    await go("#/documents");
    await page.getByRole("link", { name: DOCUMENT }).waitFor();
    await shot("documents");
    await go("#/documents?owner=Amazon");
    await page.getByRole("link", { name: "AWS-RunShellScript" }).waitFor();
  });

  it("creates an association through the form, with the document's parameters and a schedule preview", async () => {
    await go("#/associations/new");
    await page.getByLabel("Document", { exact: true }).selectOption(DOCUMENT);
    // The document's parameters, with descriptions, defaults and allowed values.
    const message = page.getByLabel("message");
    await message.waitFor();
    expect(await message.inputValue()).toBe("hello");
    await page.getByText("What to say").waitFor();
    const level = page.getByLabel("level");
    expect(await level.locator("option").allTextContents()).toEqual(["info", "warn"]);
    await level.selectOption("warn");
    await message.fill("hi from the console");
    await page.getByLabel("Association name (optional)").fill("console-nightly");
    await page.getByRole("radio", { name: "By tags" }).check();
    await page.getByLabel("Tags", { exact: true }).fill("env=prod");

    // A schedule AWS refuses: the preview says so and the API's error lands next to the schedule.
    await page.getByRole("radio", { name: "Cron or at" }).check();
    await page.getByLabel("Expression").fill("cron(0 2 * * * *)");
    await page.getByText("Preview unavailable: One of day-of-month and day-of-week must be '?'.").waitFor();
    await page.getByRole("button", { name: "Create association" }).click();
    await page.locator(".schedule .field-error", { hasText: "InvalidSchedule" }).waitFor();

    await page.getByLabel("Expression").fill("cron(0 2 ? * SUN *)");
    await page.getByText("At 02:00 UTC, on Sunday").waitFor();
    const runs = page.getByRole("list", { name: "Next run times" }).getByRole("listitem");
    expect(await runs.count()).toBe(5);
    for (const run of await runs.allTextContents()) expect(run).toMatch(/^Sun \d+ \w{3} \d{4}, 02:00 UTC/);
    await page.getByLabel("Compliance severity").selectOption("HIGH");
    await shot("create-association");
    await page.getByRole("button", { name: "Create association" }).click();

    await page.getByRole("heading", { name: "console-nightly", level: 1 }).waitFor();
    associationId = decodeURIComponent(new URL(page.url()).hash.split("/")[2] ?? "");
    const described = await api("DescribeAssociation", { AssociationId: associationId });
    expect(described.AssociationDescription).toMatchObject({
      Name: DOCUMENT,
      AssociationName: "console-nightly",
      Parameters: { message: ["hi from the console"], level: ["warn"] },
      Targets: [{ Key: "tag:env", Values: ["prod"] }],
      ScheduleExpression: "cron(0 2 ? * SUN *)",
      ComplianceSeverity: "HIGH",
    });

    await go("#/associations");
    const row = page.getByRole("row", { name: /console-nightly/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${DOCUMENT} ($DEFAULT)`);
    expect(await row.textContent()).toContain("env = prod");
    expect(await row.textContent()).toContain("Pending");
    // Filters go to ListAssociations.
    await page.getByLabel("Association name").fill("no-such-name");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No association matches these filters.").waitFor();
  });

  it("shows the association's status change after a node runs it through the API", async () => {
    // The agent's loop, with the node's own credentials over HTTP.
    const listed = await api("ListInstanceAssociations", { InstanceId: node.id }, node.identity);
    expect(listed.Associations.map((a: { AssociationId: string }) => a.AssociationId)).toEqual([associationId]);
    await api(
      "UpdateInstanceAssociationStatus",
      {
        AssociationId: associationId,
        InstanceId: node.id,
        ExecutionResult: {
          Status: "Success",
          ExecutionDate: Math.floor(Date.now() / 1000),
          ExecutionSummary: "1 out of 1 plugin processed, 1 success",
          ErrorCode: "",
        },
      },
      node.identity,
    );

    await go("#/associations");
    const row = page.getByRole("row", { name: /console-nightly/ });
    await row.getByText("Success 1").waitFor();
    expect(await row.textContent()).not.toContain("—");
    await page.getByRole("img", { name: /Last execution per association\. console-nightly: Success at/ }).waitFor();
    await shot("associations");

    await go(`#/associations/${associationId}`);
    await page.getByRole("definition").getByText("Success 1").waitFor();
    await shot("association");

    await go("#/nodes");
    const nodeRow = page.getByRole("row", { name: new RegExp(node.id) });
    await nodeRow.getByText("Online").waitFor();
    expect(await nodeRow.textContent()).toContain("3.3.0.0");
    await shot("nodes");
    await nodeRow.getByRole("link", { name: node.id }).click();
    await page.getByRole("heading", { name: node.id, level: 1 }).waitFor();
    await page
      .getByRole("row", { name: /console-nightly/ })
      .getByText("Success")
      .first()
      .waitFor();
    await page.getByRole("row", { name: /Association.*COMPLIANT.*HIGH/ }).waitFor();
    await shot("node");

    await go("#/compliance");
    await page.getByRole("row", { name: new RegExp(`${node.id}.*Association.*COMPLIANT`) }).waitFor();
    // Per type from ListComplianceSummaries, now that the server serves it: no fallback hint.
    await page
      .getByRole("table", { name: "Compliance by type" })
      .getByRole("row", { name: "Association 1 0" })
      .waitFor();
    expect(await page.getByText("this server has no ListComplianceSummaries").count()).toBe(0);
    await shot("compliance");
  });

  it("degrades gracefully where the server does not serve the execution operations", async () => {
    const executions = await serves("DescribeAssociationExecutions", { AssociationId: associationId });
    const once = await serves("StartAssociationsOnce", { AssociationIds: [associationId] });
    await go(`#/associations/${associationId}`);
    await page.getByRole("heading", { name: "Executions" }).waitFor();
    if (executions) await page.getByRole("table", { name: "Executions" }).waitFor();
    else await page.getByText("Execution history is not available on this server yet").waitFor();
    await page.getByRole("button", { name: "Apply now" }).click();
    if (once) await page.getByText("Requested: the targeted nodes run it").waitFor();
    else {
      await page.getByText("Applying an association now is not available on this server yet").waitFor();
      expect(await page.getByRole("button", { name: "Apply now" }).isDisabled()).toBe(true);
    }
  });

  it("works from another origin through CORS (console at localhost, API at 127.0.0.1)", async () => {
    const other = await browser.context.newPage();
    const port = new URL(server.url).port;
    const allowances: string[] = [];
    other.on("response", (response) => {
      if (response.url().startsWith(`http://127.0.0.1:${port}/`)) {
        allowances.push(response.headers()["access-control-allow-origin"] ?? "none");
      }
    });
    await other.goto(`http://localhost:${port}/console/`);
    await other.getByLabel("Access key ID").fill("test");
    await other.getByLabel("Secret access key").fill("test");
    await other.getByText("More settings").click();
    await other.getByLabel("Endpoint").fill(`http://127.0.0.1:${port}`);
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.getByRole("heading", { name: "Associations", level: 1 }).waitFor();
    await other.getByRole("table").getByRole("link", { name: "console-nightly" }).waitFor();
    // The calls crossed origins, and each answer allowed the console's origin.
    expect(allowances.length).toBeGreaterThan(0);
    expect(new Set(allowances)).toEqual(new Set([`http://localhost:${port}`]));
    await other.close();
  });

  it("ListComplianceSummaries: counts per type from the node summaries where a server does not serve it", async () => {
    // An older server (or edge) answers this target as the edge answers an unknown one; every other
    // call still reaches the real server.
    let refused = 0;
    await page.route(`${server.url}/`, async (route) => {
      if (route.request().headers()["x-amz-target"] !== "AmazonSSM.ListComplianceSummaries") return route.continue();
      refused += 1;
      await route.fulfill({
        status: 400,
        contentType: "application/x-amz-json-1.1",
        body: JSON.stringify({
          __type: "UnknownOperationException",
          message: "Operation ListComplianceSummaries is not supported by this service.",
        }),
      });
    });
    try {
      await go("#/compliance");
      await page
        .getByText("Counted from the nodes on the page below (this server has no ListComplianceSummaries).")
        .waitFor();
      await page
        .getByRole("table", { name: "Compliance by type" })
        .getByRole("row", { name: "Association 1 0" })
        .waitFor();
      await page.getByRole("row", { name: new RegExp(`${node.id}.*Association.*COMPLIANT`) }).waitFor();
      expect(refused).toBe(1);
    } finally {
      await page.unroute(`${server.url}/`);
    }
  });

  it("shows an execution and its targets after a node's run", async () => {
    await api(
      "UpdateInstanceAssociationStatus",
      {
        AssociationId: associationId,
        InstanceId: node.id,
        ExecutionResult: {
          Status: "Failed",
          ExecutionDate: Math.floor(Date.now() / 1000),
          ExecutionSummary: "1 out of 1 plugin processed, 1 failed",
          ErrorCode: "1",
        },
      },
      node.identity,
    );
    const { AssociationExecutions } = await api("DescribeAssociationExecutions", { AssociationId: associationId });
    const execution = AssociationExecutions[0];
    expect(execution.ExecutionId).toEqual(expect.any(String));

    await go(`#/associations/${associationId}`);
    const executions = page.getByRole("table", { name: "Executions" });
    const row = executions.getByRole("row", { name: new RegExp(execution.ExecutionId) });
    await row.waitFor();
    expect(await row.textContent()).toContain(execution.Status);
    await row.getByRole("button", { name: /Show targets/ }).click();
    const targets = page.getByRole("table", { name: `Targets of execution ${execution.ExecutionId}` });
    const target = targets.getByRole("row", { name: new RegExp(node.id) });
    await target.waitFor();
    expect(await target.textContent()).toContain("ManagedInstance");
    expect(await target.textContent()).toMatch(/Success|Failed/);
    await shot("executions");
  });

  it("shows a Change Calendar's state, and why a run it kept from running was skipped", async () => {
    await api("CreateDocument", {
      Name: "console-freeze",
      Content:
        "BEGIN:VCALENDAR\r\nPRODID:-//AWS//Change Calendar 1.0//EN\r\nVERSION:2.0\r\nX-CALENDAR-TYPE:DEFAULT_CLOSED\r\nEND:VCALENDAR\r\n",
      DocumentType: "ChangeCalendar",
      DocumentFormat: "TEXT",
    });
    await go("#/documents/console-freeze");
    const state = page.getByRole("region", { name: "Calendar state" });
    await state.getByText("CLOSED").waitFor();
    expect(await state.textContent()).toContain("Not within the next 10 years");
    const { AssociationDescription } = await api("CreateAssociation", {
      Name: DOCUMENT,
      Targets: [{ Key: "tag:env", Values: ["prod"] }],
      CalendarNames: ["console-freeze"],
    });
    await go(`#/associations/${AssociationDescription.AssociationId}`);
    const executions = page.getByRole("table", { name: "Executions" });
    await executions.getByText("Change Calendar console-freeze CLOSED when it was due").waitFor();
    expect(await executions.textContent()).toContain("Skipped");
    await shot("skipped-by-calendar");
    await api("DeleteAssociation", { AssociationId: AssociationDescription.AssociationId });
  });

  it("edits the association, showing AWS's error text when refused, and diffs two versions", async () => {
    await go(`#/associations/${associationId}`);
    await page.getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit association" });
    await form.getByRole("radio", { name: "Rate" }).check();
    await form.getByLabel("Every").fill("5");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form
      .getByRole("alert")
      .getByText(
        "InvalidSchedule: The schedule is invalid. Verify your cron or rate expression and try again. Associations support rate expressions of 30 minutes or more and less than 31 days.",
      )
      .waitFor();

    await form.getByLabel("Every").fill("1");
    await form.getByLabel("Unit").selectOption("day");
    await form.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("definition").getByText("rate(1 day)").waitFor();
    const described = await api("DescribeAssociation", { AssociationId: associationId });
    // The update kept every member the form did not change.
    expect(described.AssociationDescription).toMatchObject({
      AssociationVersion: "2",
      ScheduleExpression: "rate(1 day)",
      Parameters: { message: ["hi from the console"], level: ["warn"] },
      Targets: [{ Key: "tag:env", Values: ["prod"] }],
      ComplianceSeverity: "HIGH",
      AssociationName: "console-nightly",
    });
    const diff = page.getByLabel("Changes from version 1 to 2");
    await diff.locator("del", { hasText: '"ScheduleExpression": "cron(0 2 ? * SUN *)"' }).waitFor();
    await diff.locator("ins", { hasText: '"ScheduleExpression": "rate(1 day)"' }).waitFor();
  });

  it("refuses to delete a document in use with the AssociatedInstances message, then deletes after confirmation", async () => {
    await go(`#/documents/${DOCUMENT}`);
    await page.getByRole("button", { name: "Delete document" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete document" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "This document is in use and was not deleted." });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain("AssociatedInstances");
    await shot("document-in-use");

    // Cancel keeps the association; confirming deletes it.
    await go(`#/associations/${associationId}`);
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect((await api("DescribeAssociation", { AssociationId: associationId })).AssociationDescription).toBeDefined();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete association" }).click();
    await page.getByRole("heading", { name: "Associations", level: 1 }).waitFor();
    await page.getByText("No association yet.").waitFor();

    await go(`#/documents/${DOCUMENT}`);
    await page.getByRole("button", { name: "Delete document" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete document" }).click();
    await page.getByRole("heading", { name: "Documents", level: 1 }).waitFor();
    const gone = await invoke("DescribeDocument", { Name: DOCUMENT });
    expect(gone.body.__type).toBe("InvalidDocument");
  });

  it("pages through ListAssociations rather than loading everything", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) {
      const created = await api("CreateAssociation", {
        Name: "AWS-RunShellScript",
        AssociationName: `paged-${String(i).padStart(2, "0")}`,
        Targets: [{ Key: "InstanceIds", Values: ["*"] }],
        Parameters: { commands: ["true"] },
      });
      ids.push(created.AssociationDescription.AssociationId);
    }
    await go("#/associations");
    const rows = page.getByRole("table").getByRole("link", { name: /^paged-/ });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    const seen = await rows.allTextContents();
    const pages = page.getByRole("navigation", { name: "Associations pages" });
    expect(await pages.getByRole("button", { name: "Previous page" }).isDisabled()).toBe(true);
    await pages.getByRole("button", { name: "Next page" }).click();
    await pages.getByText("Page 2").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("table tbody tr").length === 2);
    seen.push(...(await rows.allTextContents()));
    // Together, the two pages are every association, once.
    expect(new Set(seen).size).toBe(27);
    expect(await pages.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
    await pages.getByRole("button", { name: "Previous page" }).click();
    await pages.getByText("Page 1").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("table tbody tr").length === 25);
    for (const id of ids) await api("DeleteAssociation", { AssociationId: id });
  });

  it("runs a command through the Run command form; its page shows each node's status and output; cancels one", async () => {
    const agent = new ReplayedAgent({ url: server.url, host }, node.id, node.identity);
    await go("#/commands/new");
    await page.getByRole("heading", { name: "Run command", level: 1 }).waitFor();
    // AWS-RunShellScript is chosen at first; its parameters come from the document.
    const commands = page.getByLabel("commands");
    await commands.waitFor();
    await commands.fill("echo hello from the console");
    await page.getByRole("textbox", { name: "Node IDs" }).fill(node.id);
    await page.getByLabel("Comment (optional)").fill("console run");
    await page.getByLabel("Max concurrency").fill("1");
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByText("Pending").first().waitFor();
    const commandId = decodeURIComponent(new URL(page.url()).hash.split("/").at(-1) ?? "");
    await shot("command-pending");

    // The node's agent (replayed over HTTP) runs it; the page, refreshed, shows its output.
    await agent.handleNext(shellOutcome({ stdout: "hello from the console\n" }));
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.getByText("1 of 1 done, 0 errors, 0 delivery timed out").waitFor();
    await page.getByText("aws:runShellScript: Success (code 0)").click();
    await page.locator(".plugin-output pre", { hasText: "hello from the console" }).waitFor();
    await page.getByRole("button", { name: "Full output" }).click();
    await page.locator("pre.stdout", { hasText: "hello from the console" }).waitFor();
    await shot("command");
    await go("#/commands");
    await page.getByRole("link", { name: commandId }).waitFor();
    await page.getByText("console run").waitFor();

    // A command the agent is running, cancelled from its page: Cancelling, then the agent's Cancelled.
    const sent = await api("SendCommand", {
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [node.id],
      Parameters: { commands: ["sleep 600"] },
    });
    const message = await agent.next();
    const payload = await agent.receive(message);
    await go(`#/commands/${encodeURIComponent(sent.Command.CommandId)}`);
    await page.getByRole("button", { name: "Cancel command" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel command" }).click();
    await page.getByText("Cancelling").first().waitFor();
    await agent.receive(await agent.next());
    if (payload) await agent.run(message, payload, shellOutcome({ status: "Cancelled", code: 137 }));
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.getByText("aws:runShellScript: Cancelled (code 137)").waitFor();
  });

  it("links each target of an association's run to its output (the run's command, this node's invocation)", async () => {
    // A node of its own, so its channel holds only this run's message; its agent replayed over HTTP.
    const fresh = await registeredNode();
    const agent = new ReplayedAgent({ url: server.url, host }, fresh.id, fresh.identity);
    const { AssociationDescription: created } = await api("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo applied by the association"] },
      Targets: [{ Key: "InstanceIds", Values: [fresh.id] }],
    });
    const id = created.AssociationId as string;
    await agent.handleNext(shellOutcome({ stdout: "applied by the association\n", stderr: "a warning\n" }));
    const [execution] = (await api("DescribeAssociationExecutions", { AssociationId: id })).AssociationExecutions;

    await go(`#/associations/${id}`);
    const row = page
      .getByRole("table", { name: "Executions" })
      .getByRole("row", { name: new RegExp(execution.ExecutionId) });
    await row.getByRole("button", { name: /Show targets/ }).click();
    const targets = page.getByRole("table", { name: `Targets of execution ${execution.ExecutionId}` });
    await targets.getByRole("link", { name: `Output of ${fresh.id}` }).click();
    // The Run Command page of the run's command, this node's output first.
    await page.getByRole("heading", { name: `Output of ${fresh.id}` }).waitFor();
    const output = page.locator("section.node-output");
    await output.locator("pre.stdout", { hasText: "applied by the association" }).waitFor();
    await output.locator("pre.stderr", { hasText: "a warning" }).waitFor();
    const text = await output.textContent();
    expect(text).toContain(`${id}:${execution.ExecutionId}`);
    expect(text).toMatch(/Exit code\s*0/);
    await shot("execution-output");
    await api("DeleteAssociation", { AssociationId: id });
  });
});
