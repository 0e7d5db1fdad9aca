/**
 * GetDocument: a version's content, as it was written or in another format (DocumentFormat). Apart
 * from the registry (registry.ts) because it may parse content, and apart from `Documents`
 * (documents.ts) because it parses only to convert: GetDocument's function loads content.ts and
 * its YAML parser only when asked for another format than the content's own.
 */
import type { DocumentFormat, GetDocumentRequest, GetDocumentResult } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { changesFormat } from "./formats.ts";
import { DocumentReader } from "./reader.ts";

export class DocumentRetrieval extends DocumentReader {
  async get(scope: Scope, request: GetDocumentRequest): Promise<GetDocumentResult> {
    const { located, version } = await this.requested(scope, request);
    const { document } = located;
    const format = request.DocumentFormat ?? version.DocumentFormat;
    return {
      Name: document.Name,
      CreatedDate: new Date(version.CreatedDate),
      DisplayName: version.DisplayName,
      VersionName: version.VersionName,
      DocumentVersion: String(version.DocumentVersion),
      Status: "Active",
      Content: changesFormat(version.DocumentFormat, format)
        ? await converted(version.Content, version.DocumentFormat, format)
        : version.Content,
      DocumentType: document.DocumentType,
      DocumentFormat: format,
      Requires: version.Requires,
    };
  }
}

/**
 * Content in another format than the one it was written in (GetDocument's DocumentFormat): the
 * registry's only path that parses content, and a rare one (the SSM Agent and most callers ask for
 * the content as it was written), so content.ts and its YAML parser are loaded when it first runs,
 * not at import: `npm run build` makes this dynamic import a file of its own beside GetDocument's
 * bundle (infra/build/bundle.ts), which a cold start does not compile.
 */
async function converted(content: string, from: DocumentFormat, to: DocumentFormat): Promise<string> {
  const { convertContent } = await import("./content.ts");
  return convertContent(content, from, to);
}
