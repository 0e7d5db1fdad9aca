/**
 * Parameter Store's behaviour, independent of the wire and of DynamoDB: what PutParameter
 * writes, which version a name or selector means, what each answer shows, and who may ask.
 *
 * DynamoDB round trips per operation (the store's comments say how each is made):
 * - PutParameter, new name: 1 transaction (head, version 1, the tier's counter); with
 *   Overwrite: 1 read of the head + 1 transaction (head, new version, [oldest version dropped],
 *   [counters, when the tier changes]).
 * - GetParameter / GetParameters: 1 BatchGetItem (heads, and versions named by number); a label
 *   naming an older version costs 1 more BatchGetItem for all such labels together.
 * - GetParametersByPath / DescribeParameters: 1 GSI query per page (more only when filters skip).
 * - GetParameterHistory: 1 read + 1 query. LabelParameterVersion: 1 read + 1 transaction.
 * - DeleteParameter: 1 read + 1 transaction + 1 query and batch deletes of the versions.
 *   DeleteParameters: 1 BatchGetItem + that per parameter.
 */
import { randomUUID } from "node:crypto";
import type {
  DeleteParameterRequest,
  DeleteParametersRequest,
  DeleteParametersResult,
  DescribeParametersRequest,
  DescribeParametersResult,
  GetParameterHistoryRequest,
  GetParameterHistoryResult,
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  LabelParameterVersionRequest,
  LabelParameterVersionResult,
  Parameter,
  ParameterMetadata,
  PutParameterRequest,
  PutParameterResult,
  Tag,
} from "@aws-sdk/client-ssm";
import type { RequestContext, Scope } from "../../context.ts";
import { ParameterAlreadyExists, ParameterNotFound, TooManyUpdates } from "../../errors.ts";
import { decodeToken, encodeToken, filteredPage } from "../pagination.ts";
import { initialTags } from "../tags.ts";
import {
  filtersAndParameterFilters,
  labelLimitExceeded,
  parameterNotFound,
  tagsWithOverwrite,
  typeRequired,
  versionNotFound,
} from "./errors.ts";
import { isUnder, legacyFilter, normalizePath, parameterFilter } from "./filters.ts";
import { isValidLabel, MAX_LABELS_PER_VERSION } from "./labels.ts";
import { assertWritableName, type NameRef, parameterArn, parseNameRef, plainNameRef } from "./names.ts";
import { latestVersionOf, type ParameterRecord, type ParameterVersionRecord } from "./records.ts";
import { type Limits, type ParameterStore, versionKey } from "./store.ts";
import { assertDataType, assertMatchesPattern, assertValue, keyIdFor, parsePolicies, resolveTier } from "./values.ts";

/** "You can create a maximum of 10,000 standard parameters for each Region in an AWS account" (100,000 advanced). */
export const STANDARD_PARAMETER_LIMIT = 10_000;
export const ADVANCED_PARAMETER_LIMIT = 100_000;
/** "Parameter Store retains the 100 most recently created versions of a parameter." */
export const VERSION_LIMIT = 100;
const BY_PATH_PAGE_SIZE = 10;
const DESCRIBE_PAGE_SIZE = 10;
const HISTORY_PAGE_SIZE = 50;
/** Attempts when a concurrent write changes a parameter between our read and our write. */
const ATTEMPTS = 3;

/** Seals and opens SecureString values (the service's SecretBox). */
export type Sealer = { seal(plaintext: string): string; open(sealed: string): string };

/** The version a request resolved to, and the selector it used (shown as `Selector`). */
type Resolved = { head: ParameterRecord; version: ParameterVersionRecord; selector?: string };
type Outcome = Resolved | { missing: "parameter" } | { missing: "version"; name: string; what: string | number };

export class Parameters {
  constructor(
    private readonly store: ParameterStore,
    private readonly box: Sealer,
    private readonly limits: Limits = { Standard: STANDARD_PARAMETER_LIMIT, Advanced: ADVANCED_PARAMETER_LIMIT },
    private readonly versionLimit: number = VERSION_LIMIT,
  ) {}

  async put(context: RequestContext, given: PutParameterRequest): Promise<PutParameterResult> {
    // "The service removes any spaces specified for the beginning or end of a parameter name."
    const name = (given.Name as string).trim();
    const request = { ...given, Name: name };
    // "You can't enter the Amazon Resource Name (ARN) for a parameter, only the parameter name itself."
    assertWritableName(name);
    if (request.Overwrite && request.Tags !== undefined && request.Tags.length > 0) {
      throw tagsWithOverwrite();
    }
    assertValue(request.Value as string);
    const tags = initialTags(request.Tags);
    for (let attempt = 1; ; attempt++) {
      const previous = request.Overwrite ? await this.store.get(context, name) : undefined;
      try {
        if (previous) return await this.overwrite(context, request, previous);
        return await this.create(context, request, tags);
      } catch (error) {
        // Overwrite lost a race (a create, a delete, another overwrite): read again and retry.
        const raced = error instanceof TooManyUpdates || (request.Overwrite && error instanceof ParameterAlreadyExists);
        if (!raced || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async create(context: RequestContext, request: PutParameterRequest, tags: Tag[]) {
    if (request.Type === undefined) throw typeRequired();
    const generation = randomUUID();
    const version = this.newVersion(context, request, undefined, 1, generation);
    const head: ParameterRecord = {
      ...version,
      OldestVersion: 1,
      Labels: {},
      Tags: tags,
      Revision: 1,
      Generation: generation,
    };
    await this.store.create(context, head, version, this.limits);
    return { Version: 1, Tier: version.Tier };
  }

  private async overwrite(context: RequestContext, request: PutParameterRequest, previous: ParameterRecord) {
    const number = previous.Version + 1;
    const version = this.newVersion(context, request, previous, number, previous.Generation);
    const dropOldest = number - previous.OldestVersion + 1 > this.versionLimit ? previous.OldestVersion : undefined;
    const head: ParameterRecord = {
      ...version,
      OldestVersion: dropOldest === undefined ? previous.OldestVersion : dropOldest + 1,
      Labels: previous.Labels,
      Tags: previous.Tags,
      Revision: previous.Revision + 1,
      Generation: previous.Generation,
    };
    await this.store.overwrite(context, previous, head, version, { dropOldest, limits: this.limits });
    return { Version: number, Tier: version.Tier };
  }

  /** A version from the request; what it leaves out carries over from the current version. */
  private newVersion(
    context: RequestContext,
    request: PutParameterRequest,
    previous: ParameterRecord | undefined,
    number: number,
    generation: string,
  ): ParameterVersionRecord {
    const value = request.Value as string;
    const type = request.Type ?? (previous?.Type as NonNullable<PutParameterRequest["Type"]>);
    const keyId = keyIdFor(type, request.KeyId, previous?.Type === "SecureString" ? previous.KeyId : undefined);
    const dataType = request.DataType ?? previous?.DataType ?? "text";
    assertDataType(dataType, type, value);
    const policies = request.Policies ?? previous?.Policies;
    const parsedPolicies = parsePolicies(policies);
    const tier = resolveTier(request.Tier, previous?.Tier, value, (parsedPolicies?.length ?? 0) > 0);
    const allowedPattern = request.AllowedPattern ?? previous?.AllowedPattern;
    assertMatchesPattern(allowedPattern, value);
    return {
      Name: request.Name as string,
      Version: number,
      Type: type,
      Value: type === "SecureString" ? this.box.seal(value) : value,
      KeyId: keyId,
      Description: request.Description ?? previous?.Description,
      AllowedPattern: allowedPattern || undefined,
      Tier: tier,
      Policies: policies,
      DataType: dataType,
      LastModifiedDate: new Date().toISOString(),
      LastModifiedUser: `arn:aws:iam::${context.accountId}:root`,
      Labels: [],
      Generation: generation,
    };
  }

  async get(context: RequestContext, request: GetParameterRequest): Promise<GetParameterResult> {
    const ref = parseNameRef(context, request.Name as string);
    const [outcome] = await this.resolve(context, [ref]);
    if (!outcome || "missing" in outcome) {
      if (outcome?.missing === "version") {
        throw versionNotFound(outcome.name, outcome.what);
      }
      throw parameterNotFound();
    }
    return { Parameter: this.view(context, outcome, request.WithDecryption ?? false) };
  }

  async getMany(context: RequestContext, request: GetParametersRequest): Promise<GetParametersResult> {
    const asked = [...new Set(request.Names ?? [])];
    const refs = asked.map((text) => parseNameRef(context, text));
    const outcomes = await this.resolve(context, refs);
    const parameters: Parameter[] = [];
    const invalid: string[] = [];
    outcomes.forEach((outcome, index) => {
      if ("missing" in outcome) invalid.push(refs[index]?.asGiven as string);
      else parameters.push(this.view(context, outcome, request.WithDecryption ?? false));
    });
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  async byPath(context: RequestContext, request: GetParametersByPathRequest): Promise<GetParametersByPathResult> {
    const requested = request.Path as string;
    const path = normalizePath(requested);
    const matches = parameterFilter("GetParametersByPath", request.ParameterFilters);
    const recursive = request.Recursive ?? false;
    const page = await filteredPage<ParameterRecord>({
      nextToken: request.NextToken,
      limit: request.MaxResults ?? BY_PATH_PAGE_SIZE,
      keyOf: (parameter) => parameter.Name,
      matches: (parameter) => isUnder(parameter.Name, path, recursive) && matches(parameter),
      fetch: (after, limit) => this.store.list(context, `${path}/`, after, limit),
    });
    // With a Label filter, the labelled version is the one shown (one read for all of them).
    const labels = request.ParameterFilters?.find((filter) => filter.Key === "Label")?.Values ?? [];
    const resolved = await this.labelled(context, page.items, labels);
    return {
      Parameters: resolved.map((item) => this.view(context, item, request.WithDecryption ?? false)),
      NextToken: page.nextToken,
    };
  }

  async describe(context: RequestContext, request: DescribeParametersRequest): Promise<DescribeParametersResult> {
    if (request.Filters?.length && request.ParameterFilters?.length) {
      throw filtersAndParameterFilters();
    }
    const matches = request.Filters?.length
      ? legacyFilter(request.Filters)
      : parameterFilter("DescribeParameters", request.ParameterFilters);
    const page = await filteredPage<ParameterRecord>({
      nextToken: request.NextToken,
      limit: request.MaxResults ?? DESCRIBE_PAGE_SIZE,
      keyOf: (parameter) => parameter.Name,
      matches,
      fetch: (after, limit) => this.store.list(context, "", after, limit),
    });
    return { Parameters: page.items.map((head) => metadata(context, head)), NextToken: page.nextToken };
  }

  async history(context: RequestContext, request: GetParameterHistoryRequest): Promise<GetParameterHistoryResult> {
    const ref = plainNameRef(context, request.Name as string);
    const head = await this.locate(context, ref);
    const cursor = decodeToken(
      request.NextToken,
      (value): value is { after: number } => typeof value.after === "number",
    );
    const page = await this.store.versions(context, head, cursor?.after, request.MaxResults ?? HISTORY_PAGE_SIZE);
    const last = page.items.at(-1);
    return {
      Parameters: page.items.map((version) => ({
        ...metadata(context, version),
        ARN: undefined,
        Value: this.valueOf(version, request.WithDecryption ?? false),
        Labels: version.Labels,
      })),
      NextToken: page.more && last ? encodeToken({ after: last.Version }) : undefined,
    };
  }

  async delete(context: RequestContext, request: DeleteParameterRequest): Promise<void> {
    const ref = plainNameRef(context, request.Name as string);
    await this.deleteOne(context, await this.locate(context, ref));
  }

  async deleteMany(context: RequestContext, request: DeleteParametersRequest): Promise<DeleteParametersResult> {
    const asked = [...new Set(request.Names ?? [])];
    const refs = asked.map((text) => plainNameRef(context, text));
    const { heads } = await this.store.read(
      context,
      refs.flatMap((ref) => ref.names),
      [],
    );
    const deleted: string[] = [];
    const invalid: string[] = [];
    for (const ref of refs) {
      const head = ref.names.map((name) => heads.get(name)).find((found) => found !== undefined);
      try {
        if (!head) throw parameterNotFound();
        await this.deleteOne(context, head);
        deleted.push(ref.asGiven);
      } catch (error) {
        if (!(error instanceof ParameterNotFound)) throw error;
        invalid.push(ref.asGiven);
      }
    }
    return { DeletedParameters: deleted, InvalidParameters: invalid };
  }

  /** Deletes a parameter read a moment ago; a concurrent change is read again, a deletion is ParameterNotFound. */
  private async deleteOne(scope: Scope, head: ParameterRecord): Promise<void> {
    let current: ParameterRecord | undefined = head;
    for (let attempt = 1; current; attempt++) {
      try {
        await this.store.delete(scope, current);
        return;
      } catch (error) {
        if (!(error instanceof TooManyUpdates) || attempt >= ATTEMPTS) throw error;
        current = await this.store.get(scope, head.Name);
      }
    }
    throw parameterNotFound();
  }

  async label(context: RequestContext, request: LabelParameterVersionRequest): Promise<LabelParameterVersionResult> {
    const ref = plainNameRef(context, request.Name as string);
    const head = await this.locate(context, ref);
    const version = request.ParameterVersion ?? head.Version;
    if (version < head.OldestVersion || version > head.Version) {
      throw versionNotFound(head.Name, version);
    }
    const requested = [...new Set(request.Labels ?? [])];
    const invalid = requested.filter((label) => !isValidLabel(label));
    const added = requested.filter((label) => isValidLabel(label) && head.Labels[label] !== version);
    const onTarget = Object.keys(head.Labels).filter((label) => head.Labels[label] === version);
    if (onTarget.length + added.length > MAX_LABELS_PER_VERSION) {
      throw labelLimitExceeded();
    }
    if (added.length > 0) {
      // A label on another version moves: it comes off that version in the same transaction.
      const from = new Map<number, string[]>();
      for (const label of added) {
        const previous = head.Labels[label];
        if (previous !== undefined) from.set(previous, [...(from.get(previous) ?? []), label]);
      }
      const moved = [...from].map(([number, leaving]) => ({
        version: number,
        labels: Object.keys(head.Labels).filter((label) => head.Labels[label] === number && !leaving.includes(label)),
      }));
      await this.store.label(context, head, { version, labels: [...onTarget, ...added] }, moved);
    }
    return { InvalidLabels: invalid, ParameterVersion: version };
  }

  /** The account's own parameter by name, for tagging (ResourceType `Parameter`). */
  /** The head a plain name (or ARN) names, or ParameterNotFound. */
  private async locate(scope: Scope, ref: NameRef): Promise<ParameterRecord> {
    if (ref.names.length === 1) {
      const head = await this.store.get(scope, ref.names[0] as string);
      if (head) return head;
    } else if (ref.names.length > 1) {
      const { heads } = await this.store.read(scope, ref.names, []);
      const head = ref.names.map((name) => heads.get(name)).find((found) => found !== undefined);
      if (head) return head;
    }
    throw parameterNotFound();
  }

  /** Each reference's version: one batched read, plus one for labels on older versions. */
  private async resolve(scope: Scope, refs: readonly NameRef[]): Promise<Outcome[]> {
    const numbered = refs.flatMap((ref) => {
      const selector = ref.selector;
      return selector?.kind === "version" ? ref.names.map((name) => ({ name, version: selector.version })) : [];
    });
    const first = await this.store.read(
      scope,
      refs.flatMap((ref) => ref.names),
      numbered,
    );
    const headOf = (ref: NameRef) => ref.names.map((name) => first.heads.get(name)).find((head) => head !== undefined);
    const labelled = refs.flatMap((ref) => {
      const head = headOf(ref);
      if (!head || ref.selector?.kind !== "label") return [];
      const version = head.Labels[ref.selector.label];
      return version !== undefined && version !== head.Version ? [{ name: head.Name, version }] : [];
    });
    const second = labelled.length > 0 ? await this.store.read(scope, [], labelled) : undefined;
    return refs.map((ref): Outcome => {
      const head = headOf(ref);
      if (!head) return { missing: "parameter" };
      const selector = ref.selector;
      const number =
        selector === undefined
          ? head.Version
          : selector.kind === "version"
            ? selector.version
            : head.Labels[selector.label];
      const what =
        selector === undefined ? head.Version : selector.kind === "version" ? selector.version : selector.label;
      const shown = selector ? `:${what}` : undefined;
      if (number === undefined || number < head.OldestVersion || number > head.Version) {
        return { missing: "version", name: head.Name, what };
      }
      if (number === head.Version) return { head, version: latestVersionOf(head), selector: shown };
      const key = versionKey(head.Name, number);
      const version = first.versions.get(key) ?? second?.versions.get(key);
      if (!version || version.Generation !== head.Generation) return { missing: "version", name: head.Name, what };
      return { head, version, selector: shown };
    });
  }

  /** With a Label filter, each parameter shows the version carrying one of the labels. */
  private async labelled(scope: Scope, heads: ParameterRecord[], labels: string[]): Promise<Resolved[]> {
    const wanted = heads.map((head) => {
      const number = labels.map((label) => head.Labels[label]).find((found) => found !== undefined);
      return { head, number: number ?? head.Version };
    });
    const older = wanted.filter((item) => item.number !== item.head.Version);
    const read =
      older.length > 0
        ? await this.store.read(
            scope,
            [],
            older.map((item) => ({ name: item.head.Name, version: item.number })),
          )
        : undefined;
    return wanted.flatMap(({ head, number }) => {
      if (number === head.Version) return [{ head, version: latestVersionOf(head) }];
      const version = read?.versions.get(versionKey(head.Name, number));
      return version ? [{ head, version }] : [];
    });
  }

  private valueOf(version: ParameterVersionRecord, decrypt: boolean): string {
    if (version.Type !== "SecureString") return version.Value;
    // Without decryption AWS returns the KMS ciphertext (base64); ours is the sealed payload.
    return decrypt ? this.box.open(version.Value) : (version.Value.split(":")[1] ?? "");
  }

  private view(scope: Scope, resolved: Resolved, decrypt: boolean): Parameter {
    const { version, selector } = resolved;
    return {
      Name: version.Name,
      Type: version.Type,
      Value: this.valueOf(version, decrypt),
      Version: version.Version,
      Selector: selector,
      LastModifiedDate: new Date(version.LastModifiedDate),
      ARN: parameterArn(scope, version.Name),
      DataType: version.DataType,
    };
  }
}

/** What DescribeParameters shows of a parameter (no value). */
function metadata(scope: Scope, version: Omit<ParameterVersionRecord, "Labels">): ParameterMetadata {
  return {
    Name: version.Name,
    ARN: parameterArn(scope, version.Name),
    Type: version.Type,
    KeyId: version.KeyId,
    LastModifiedDate: new Date(version.LastModifiedDate),
    LastModifiedUser: version.LastModifiedUser,
    Description: version.Description,
    AllowedPattern: version.AllowedPattern,
    Version: version.Version,
    Tier: version.Tier,
    Policies: parsePolicies(version.Policies) ?? [],
    DataType: version.DataType,
  };
}
