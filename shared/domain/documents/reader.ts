/**
 * What other resources read of documents (associations, their runs, a node's view, tagging):
 * which document and version a name means, its hash, its parameter definitions. It parses no
 * content and converts none, so a function that only reads documents this way carries no YAML
 * parser (content.ts): `Documents` (the Documents API) builds on it.
 */
import type { Scope } from "../../context.ts";
import { InvalidDocumentType, SsmError } from "../../errors.ts";
import { AMAZON_OWNER, awsOwnedDocuments } from "./aws-owned/index.ts";
import { documentNotFound, invalidDocumentVersion } from "./errors.ts";
import { documentReference } from "./names.ts";
import type { DocumentRecord, DocumentShareRecord, VersionRecord } from "./records.ts";
import type { DocumentShareStore, DocumentStore } from "./store.ts";

/**
 * A document a request names, with the scope that owns it (the caller's, or another account's
 * for a document shared with the caller, with the share that lets it).
 */
export type Located = {
  document: DocumentRecord;
  awsOwned: boolean;
  owner: Scope;
  share?: DocumentShareRecord;
  /** A version read with the head (see locate's `want`), so version() needs no second read. */
  prefetched?: VersionRecord;
};

/**
 * Which version a request will want, known before the head is read: a number, or the default.
 * `$LATEST` reads the default too: it is the latest unless an update left the default behind,
 * and then the latest costs one more read.
 */
export function wantOf(documentVersion: string | undefined, versionName?: string): number | "default" | undefined {
  if (versionName !== undefined) return undefined;
  if (documentVersion === undefined || documentVersion === "$DEFAULT" || documentVersion === "$LATEST") {
    return "default";
  }
  return /^\d+$/.test(documentVersion) ? Number(documentVersion) : undefined;
}

export class DocumentReader {
  constructor(
    protected readonly store: DocumentStore,
    /** Without it, no other account's document resolves. */
    protected readonly shares?: DocumentShareStore,
  ) {}

  /**
   * The document (and version) an association names, with the parameter definitions of that
   * version's content, which the association's parameters must fit (parameterDefinitionsOf).
   */
  async forAssociation(scope: Scope, nameOrArn: string, documentVersion: string | undefined) {
    const located = await this.locate(scope, nameOrArn, wantOf(documentVersion));
    const { document, awsOwned, share } = located;
    const version = await this.version(located, documentVersion);
    return {
      document,
      version,
      owner: awsOwned ? ("Amazon" as const) : share ? ("Shared" as const) : ("Self" as const),
      /** For a shared document: whose it is, and which share (the caller's id or "all") lets the caller use it. */
      shared: share ? { ownerAccountId: share.OwnerAccountId, grantee: share.AccountId } : undefined,
      parameterDefinitions: parameterDefinitionsOf(version),
    };
  }

  /**
   * The version an association runs ($DEFAULT or nothing, $LATEST, or a number), as
   * `forAssociation` finds it but without parsing its content: for a node's view, which needs
   * only its hash or content. Reads of several documents started together (Promise.all) go to
   * DynamoDB as one batch (the head and the version of each, store `read`).
   */
  async runnableVersion(scope: Scope, nameOrArn: string, documentVersion: string | undefined): Promise<VersionRecord> {
    return this.version(await this.locate(scope, nameOrArn, wantOf(documentVersion)), documentVersion);
  }

  /**
   * The content hash of the version each association runs, as `runnableVersion` finds it,
   * reading no content; undefined for one that can't be run as named (runnableVersion's refusal:
   * the document or version is not there), any other failure thrown. The own documents by name
   * come in ONE read (their heads and versions with only their numbers and hash: one
   * BatchGetItem, not one call each, for a node's view of dozens). Anything else (AWS-owned,
   * shared, $LATEST ahead of the default, a version gone) goes the way `runnableVersion` goes.
   */
  async versionHashes(
    scope: Scope,
    wanted: readonly { nameOrArn: string; documentVersion: string | undefined }[],
  ): Promise<(string | undefined)[]> {
    const own: { at: number; name: string; want: number | "default" }[] = [];
    wanted.forEach(({ nameOrArn, documentVersion }, at) => {
      const reference = documentReference(nameOrArn, scope);
      const want = wantOf(documentVersion);
      if (reference.ownerAccountId === scope.accountId && want !== undefined && !awsOwnedDocuments.has(reference.name))
        own.push({ at, name: reference.name, want });
    });
    const read = own.length > 0 ? await this.store.readHashes(scope, own) : [];
    // Answered at once from the read where it can be (no promise each: a node's view asks for
    // dozens); null while another read must tell.
    const hashes: (string | undefined | null)[] = wanted.map(() => null);
    own.forEach(({ at, want }, i) => {
      const { document, version } = read[i] ?? {};
      if (document?.Status !== "Active") hashes[at] = undefined;
      else {
        const { documentVersion } = wanted[at] as (typeof wanted)[number];
        const number =
          documentVersion === "$LATEST" ? document.LatestVersion : want === "default" ? document.DefaultVersion : want;
        if (version?.DocumentVersion === number) hashes[at] = version.Hash;
      }
    });
    const rest = wanted.flatMap((reference, at) => (hashes[at] === null ? [{ ...reference, at }] : []));
    await Promise.all(
      rest.map(async ({ nameOrArn, documentVersion, at }) => {
        try {
          hashes[at] = (await this.runnableVersion(scope, nameOrArn, documentVersion)).Hash;
        } catch (error) {
          if (!(error instanceof SsmError)) throw error;
          hashes[at] = undefined;
        }
      }),
    );
    return hashes as (string | undefined)[];
  }

  /**
   * The version number an association's DocumentVersion ($DEFAULT, $LATEST or a number) means
   * now, as AWS reports the version that ran: no read for a number or an AWS-owned document, one
   * read (the head) otherwise.
   */
  async versionNumber(scope: Scope, nameOrArn: string, documentVersion: string | undefined): Promise<number> {
    if (documentVersion !== undefined && /^\d+$/.test(documentVersion)) return Number(documentVersion);
    const { document, share } = await this.locate(scope, nameOrArn);
    const latest =
      documentVersion === "$LATEST" || (documentVersion === undefined && share?.SharedDocumentVersion === "$LATEST");
    return latest ? document.LatestVersion : document.DefaultVersion;
  }

  /**
   * A Change Calendar's content: the default version of a `ChangeCalendar` document the caller
   * owns or that is shared with it (by name or ARN), as GetCalendarState and an association's
   * CalendarNames read it. Missing or unshared: InvalidDocument; another type: InvalidDocumentType.
   * Several started together (Promise.all) are one BatchGetItem (the head and its default version).
   */
  async calendarContent(scope: Scope, nameOrArn: string): Promise<string> {
    const located = await this.locate(scope, nameOrArn, "default");
    if (located.document.DocumentType !== "ChangeCalendar") {
      throw new InvalidDocumentType(
        `The document ${nameOrArn} is of type ${located.document.DocumentType}; a calendar must be a ChangeCalendar document.`,
      );
    }
    return (await this.version(located, undefined)).Content;
  }

  /** Fails with InvalidDocument unless the document exists (one read at most). */
  /** Read with the request's other reads started in the same turn (one round trip: store.ts `head`). */
  async assertExists(scope: Scope, nameOrArn: string): Promise<void> {
    await this.locate(scope, nameOrArn, undefined, true);
  }

  /**
   * The document and version a DescribeDocument or GetDocument request names (Name, and
   * DocumentVersion or VersionName), the version read with the head when it can be.
   */
  protected async requested(
    scope: Scope,
    request: { Name?: string; DocumentVersion?: string; VersionName?: string },
  ): Promise<{ located: Located; version: VersionRecord }> {
    const located = await this.locate(
      scope,
      request.Name as string,
      wantOf(request.DocumentVersion, request.VersionName),
    );
    return { located, version: await this.version(located, request.DocumentVersion, request.VersionName) };
  }

  /**
   * Finds a document by name or ARN: AWS-owned first, then the account's own; an ARN of another
   * account finds that account's document only while it is shared with the caller (or with
   * all), in one read. Unshared or deleted, it is InvalidDocument, as for a missing document.
   */
  protected async locate(scope: Scope, nameOrArn: string, want?: number | "default", joined = false): Promise<Located> {
    const reference = documentReference(nameOrArn, scope);
    if (reference.ownerAccountId !== scope.accountId) {
      const owner: Scope = { accountId: reference.ownerAccountId, region: scope.region };
      const shared = await this.shares?.sharedDocument(owner, reference.name, scope.accountId, want === "default");
      if (!shared) throw documentNotFound(nameOrArn);
      const { document, share, defaultVersion } = shared;
      return { document, share, awsOwned: false, owner, prefetched: defaultVersion };
    }
    const owned = awsOwnedDocuments.get(reference.name);
    if (owned) return { document: owned.document, awsOwned: true, owner: scope };
    // With the version known up front, the head and that version are one read (store keys.ts).
    const { document, version } =
      want === undefined
        ? {
            document: await (joined ? this.store.head(scope, reference.name) : this.store.get(scope, reference.name)),
            version: undefined,
          }
        : await this.store.read(scope, reference.name, want);
    if (document?.Status !== "Active") throw documentNotFound(nameOrArn);
    return { document, awsOwned: false, owner: scope, prefetched: version };
  }

  /** A document only its owner may change: another account's ARN names nothing here. */
  protected async ownLocated(scope: Scope, nameOrArn: string, want?: number | "default"): Promise<Located> {
    const located = await this.locate(scope, nameOrArn, want);
    if (located.share) throw documentNotFound(nameOrArn);
    return located;
  }

  /**
   * The version a request means: `$DEFAULT` (or nothing), `$LATEST`, a number, or a version
   * name; when both a number and a name are given they must name the same version.
   */
  protected async version(
    located: Located,
    documentVersion: string | undefined,
    versionName?: string,
  ): Promise<VersionRecord> {
    const { document, owner: scope, share } = located;
    let number: number | undefined;
    if (versionName !== undefined) {
      number = await this.versionNumberOfName(scope, document, versionName);
      if (number === undefined) throw invalidDocumentVersion();
    }
    if (documentVersion !== undefined && documentVersion !== "$DEFAULT") {
      const wanted = documentVersion === "$LATEST" ? document.LatestVersion : Number(documentVersion);
      if (number !== undefined && number !== wanted) throw invalidDocumentVersion();
      number = wanted;
    }
    // A version shared as $LATEST is what "no version" means to the accounts it is shared with.
    number ??= share?.SharedDocumentVersion === "$LATEST" ? document.LatestVersion : document.DefaultVersion;
    if (share && !sharedVersionAllows(share, document, number)) throw invalidDocumentVersion();
    const version =
      document.Owner === AMAZON_OWNER
        ? awsOwnedVersion(document.Name, number)
        : located.prefetched?.DocumentVersion === number
          ? located.prefetched
          : await this.store.getVersion(scope, document.Name, number);
    if (!version) throw await this.versionMissing(located, documentVersion, versionName);
    return version;
  }

  /**
   * Why a version the head names is not there. A version the request implied ($DEFAULT,
   * $LATEST or none) is missing only when the document went away after its head was read (a
   * delete between the head's read and the version's: a BatchGetItem is no snapshot), so the
   * head is read again and a document gone is InvalidDocument, as if it had never existed (issue
   * 29, defect 3). A version the request named is InvalidDocumentVersion.
   */
  private async versionMissing(
    located: Located,
    documentVersion: string | undefined,
    versionName: string | undefined,
  ): Promise<SsmError> {
    const implied =
      versionName === undefined &&
      (documentVersion === undefined || documentVersion === "$DEFAULT" || documentVersion === "$LATEST");
    if (implied && !located.share) {
      const head = await this.store.get(located.owner, located.document.Name);
      if (head?.Status !== "Active") return documentNotFound(located.document.Name);
    }
    return invalidDocumentVersion();
  }

  private async versionNumberOfName(scope: Scope, document: DocumentRecord, versionName: string) {
    if (document.Owner === AMAZON_OWNER) {
      const owned = awsOwnedDocuments.get(document.Name);
      return owned?.version.VersionName === versionName ? owned.version.DocumentVersion : undefined;
    }
    return this.store.versionNumberOf(scope, document.Name, versionName);
  }
}

/**
 * The versions a share lets another account use: the default one ($DEFAULT), the latest one
 * ($LATEST), or every one ($ALL) (ModifyDocumentPermission.SharedDocumentVersion).
 */
export function sharedVersionAllows(share: DocumentShareRecord, document: DocumentRecord, number: number): boolean {
  if (share.SharedDocumentVersion === "$ALL") return true;
  return number === (share.SharedDocumentVersion === "$LATEST" ? document.LatestVersion : document.DefaultVersion);
}

export function awsOwnedVersion(name: string, number: number): VersionRecord | undefined {
  const version = awsOwnedDocuments.get(name)?.version;
  return version?.DocumentVersion === number ? version : undefined;
}

/**
 * The `parameters` of a version's content, without a YAML parser: a YAML version keeps them as
 * JSON text (records.ts `ParameterDefinitions`, written when the version is created), a JSON
 * version's content is JSON, TEXT content has none. A YAML version written before the definitions
 * were kept falls back to what it describes of them (names, types, defaults): it is checked for
 * missing and unknown parameters and their types, not for `allowedValues` or `allowedPattern`.
 */
export function parameterDefinitionsOf(
  version: Pick<VersionRecord, "ParameterDefinitions" | "DocumentFormat" | "Content" | "Parameters">,
): Record<string, unknown> | undefined {
  if (version.ParameterDefinitions !== undefined) return JSON.parse(version.ParameterDefinitions);
  if (version.DocumentFormat === "JSON") {
    return (JSON.parse(version.Content) as { parameters?: Record<string, unknown> } | null)?.parameters;
  }
  if (version.DocumentFormat !== "YAML") return undefined;
  return Object.fromEntries(
    version.Parameters.map((parameter) => [parameter.Name, { type: parameter.Type, default: parameter.DefaultValue }]),
  );
}
