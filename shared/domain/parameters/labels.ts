/**
 * Label rules (User Guide, "Labeling parameters"): letters, numbers, `.`, `-`, `_`; at most 100
 * characters; not starting with a number, nor with `aws` or `ssm` in any case. A label is on at
 * most one version of a parameter (labelling another version moves it), and a version holds at
 * most 10 labels. Invalid labels are not an error: LabelParameterVersion lists them in
 * `InvalidLabels` and applies the others.
 */
export const MAX_LABELS_PER_VERSION = 10;
const LABEL = /^[a-zA-Z0-9_.-]{1,100}$/;

export function isValidLabel(label: string): boolean {
  return LABEL.test(label) && !/^[0-9]/.test(label) && !/^(aws|ssm)/i.test(label);
}
