/**
 * Generates shared/validation/generated/ssm-model.ts from the official SSM service model.
 *
 * The model ships with botocore (installed with the `aws` CLI / boto3); we locate it through
 * python3 so that no constraint is ever hand-copied. Only the shapes reachable from operation
 * inputs are emitted: output shapes are never validated.
 *
 * Run with `npm run generate`; the output is committed so neither CI nor Lambda needs botocore.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

type RawShape = {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
};
type RawModel = {
  metadata: { apiVersion: string };
  operations: Record<string, { input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, RawShape>;
};

function locateModel(): string {
  const override = process.env.SSM_MODEL_PATH;
  if (override) return override;
  const botocore = execFileSync("python3", ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"], {
    encoding: "utf8",
  }).trim();
  return join(botocore, "data", "ssm", "2014-11-06", "service-2.json.gz");
}

function loadModel(path: string): RawModel {
  const bytes = readFileSync(path);
  const text = path.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
  return JSON.parse(text) as RawModel;
}

/** Keeps only what validation needs, in a stable key order. */
function compact(shape: RawShape): Record<string, unknown> {
  const out: Record<string, unknown> = { type: shape.type };
  if (shape.type === "structure") {
    out.members = Object.fromEntries(Object.entries(shape.members ?? {}).map(([name, ref]) => [name, ref.shape]));
    if (shape.required?.length) out.required = shape.required;
  }
  if (shape.member) out.member = shape.member.shape;
  if (shape.key) out.key = shape.key.shape;
  if (shape.value) out.value = shape.value.shape;
  for (const field of ["min", "max", "pattern", "enum"] as const) {
    if (shape[field] !== undefined) out[field] = shape[field];
  }
  return out;
}

/**
 * Adds operations the public model leaves out, from our own files: the SSM Agent's own SSM
 * operations (agent-operations.json) and the ec2messages operations it polls
 * (ec2messages-operations.json). Neither may shadow an official shape or operation.
 */
function withAgentOperations(model: RawModel): RawModel {
  let merged = model;
  for (const file of ["./agent-operations.json", "./ec2messages-operations.json"]) {
    const extra = JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as Pick<
      RawModel,
      "operations" | "shapes"
    >;
    for (const name of Object.keys(extra.shapes)) {
      if (merged.shapes[name]) throw new Error(`${file}: shape ${name} would shadow the official model`);
    }
    for (const name of Object.keys(extra.operations)) {
      if (merged.operations[name]) throw new Error(`${file}: operation ${name} would shadow the official model`);
    }
    merged = {
      ...merged,
      operations: { ...merged.operations, ...extra.operations },
      shapes: { ...merged.shapes, ...extra.shapes },
    };
  }
  return merged;
}

/** Collects `name` and every shape it refers to, at any depth. */
function reach(model: RawModel, reachable: Set<string>, name: string): void {
  if (reachable.has(name)) return;
  reachable.add(name);
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} missing from model`);
  for (const ref of Object.values(shape.members ?? {})) reach(model, reachable, ref.shape);
  for (const ref of [shape.member, shape.key, shape.value]) if (ref) reach(model, reachable, ref.shape);
}

/**
 * One module per operation this service serves (a file in functions/), holding that operation's
 * input shape and only the shapes reachable from it. A function imports its own, so its bundle
 * carries a few KB of model instead of all 150-odd operations (~105 KB minified) that
 * ssm-model.ts holds; that full model is for tests and tools only.
 */
function writeOperationModels(
  operations: Record<string, { input: string | null }>,
  shapes: Record<string, Record<string, unknown>>,
  served: string[],
): void {
  const dir = new URL("../../shared/validation/generated/operations/", import.meta.url);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of served) {
    const operation = operations[name];
    if (!operation) throw new Error(`functions/${name}.ts serves an operation the model does not have`);
    const reachable = new Set<string>();
    const visit = (shapeName: string): void => {
      if (reachable.has(shapeName)) return;
      reachable.add(shapeName);
      const shape = shapes[shapeName] as {
        members?: Record<string, string>;
        member?: string;
        key?: string;
        value?: string;
      };
      for (const ref of Object.values(shape.members ?? {})) visit(ref);
      for (const ref of [shape.member, shape.key, shape.value]) if (ref) visit(ref);
    };
    if (operation.input) visit(operation.input);
    const model = {
      name,
      input: operation.input,
      shapes: Object.fromEntries([...reachable].sort().map((shapeName) => [shapeName, shapes[shapeName]])),
    };
    const text = [
      "// GENERATED by infra/codegen/generate-validation.ts from the official SSM service model. Do not edit.",
      'import type { OperationModel } from "../../model-types.ts";',
      "",
      `export const ${name}: OperationModel = ${JSON.stringify(model, null, 1)};`,
      "",
    ].join("\n");
    writeFileSync(new URL(`${name}.ts`, dir), text);
  }
}

/** The operations served: the handler files in functions/ (as infra/local/operations.ts lists them). */
function servedOperations(): string[] {
  return readdirSync(new URL("../../functions/", import.meta.url))
    .filter((file) => /^[A-Z][A-Za-z]+\.ts$/.test(file))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

/**
 * The output shapes, member names only, for the reliability suite's check that an answer holds
 * the model's members and nothing else. A separate file: handlers never load it.
 */
function writeOutputModel(model: RawModel): void {
  const reachable = new Set<string>();
  const outputs: Record<string, string> = {};
  for (const name of Object.keys(model.operations).sort()) {
    const output = model.operations[name]?.output?.shape;
    if (!output) continue;
    outputs[name] = output;
    reach(model, reachable, output);
  }
  const shapes = Object.fromEntries(
    [...reachable].sort().map((name) => {
      const shape = model.shapes[name] as RawShape;
      const out: Record<string, unknown> = { type: shape.type };
      if (shape.members) {
        out.members = Object.fromEntries(Object.entries(shape.members).map(([member, ref]) => [member, ref.shape]));
      }
      if (shape.member) out.member = shape.member.shape;
      if (shape.value) out.value = shape.value.shape;
      return [name, out];
    }),
  );
  const text = [
    "// GENERATED by infra/codegen/generate-validation.ts from the official SSM service model.",
    "// Output shapes (member names only), for tests that check answers against the model. Do not edit.",
    "export type OutputShape = { type: string; members?: Record<string, string>; member?: string; value?: string };",
    `export const outputs: Record<string, string> = ${JSON.stringify(outputs, null, 1)};`,
    "",
    `export const outputShapes: Record<string, OutputShape> = ${JSON.stringify(shapes, null, 1)};`,
    "",
  ].join("\n");
  writeFileSync(new URL("../../shared/validation/generated/ssm-output-model.ts", import.meta.url), text);
}

function main(): void {
  const modelPath = locateModel();
  const model = withAgentOperations(loadModel(modelPath));
  const reachable = new Set<string>();
  const visit = (name: string): void => reach(model, reachable, name);
  const operations: Record<string, { input: string | null; errors: string[] }> = {};
  for (const name of Object.keys(model.operations).sort()) {
    const op = model.operations[name];
    if (!op) continue;
    if (op.input) visit(op.input.shape);
    operations[name] = { input: op.input?.shape ?? null, errors: (op.errors ?? []).map((e) => e.shape) };
  }
  const shapes = Object.fromEntries(
    [...reachable].sort().map((name) => [name, compact(model.shapes[name] as RawShape)]),
  );
  const header = [
    "// GENERATED by infra/codegen/generate-validation.ts from the official SSM service model",
    `// (apiVersion ${model.metadata.apiVersion}). Do not edit: run \`npm run generate\`.`,
    'import type { ModelOperation, ModelShape } from "../model-types.ts";',
    "",
  ].join("\n");
  const body = [
    `export const operations: Record<string, ModelOperation> = ${JSON.stringify(operations, null, 1)};`,
    "",
    `export const shapes: Record<string, ModelShape> = ${JSON.stringify(shapes, null, 1)};`,
    "",
  ].join("\n");
  const target = new URL("../../shared/validation/generated/ssm-model.ts", import.meta.url);
  writeFileSync(target, header + body);
  writeOperationModels(operations, shapes, servedOperations());
  writeOutputModel(model);
  console.log(
    `wrote ${Object.keys(operations).length} operations and ${reachable.size} input shapes from ${modelPath}`,
  );
}

main();
