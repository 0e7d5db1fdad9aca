/** The subset of a Smithy/botocore shape that request validation needs. */
export type ModelShape =
  | { type: "structure"; members: Record<string, string>; required?: string[] }
  | { type: "list"; member: string; min?: number; max?: number }
  | { type: "map"; key: string; value: string; min?: number; max?: number }
  | { type: "string"; min?: number; max?: number; pattern?: string; enum?: string[] }
  | { type: "integer" | "long" | "double" | "float"; min?: number; max?: number }
  | { type: "boolean" | "timestamp" | "blob"; min?: number; max?: number };

export type ModelOperation = { input: string | null; errors: string[] };

/** What validating one operation's input needs: its input shape and every shape reachable from it. */
export type OperationModel = { name: string; input: string | null; shapes: Record<string, ModelShape> };
