/**
 * Association schedules: the rules and the parser live in `../schedules/` (one parser for
 * validation and for computing runs); this keeps the association code's entry points.
 */
import { validateAssociationSchedule } from "../schedules/schedule.ts";

export { type ScheduleKind, scheduleKind } from "../schedules/schedule.ts";

export function validateSchedule(options: {
  expression?: string;
  offset?: number;
  applyOnlyAtCronInterval?: boolean;
}): void {
  validateAssociationSchedule(options);
}
