import type { GetCalendarStateRequest, GetCalendarStateResponse } from "@aws-sdk/client-ssm";
import { ssmOperation } from "../shared/handler.ts";
import { changeCalendars } from "../shared/services/calendars.ts";
import { GetCalendarState } from "../shared/validation/generated/operations/GetCalendarState.ts";

export const handler = ssmOperation<GetCalendarStateRequest, GetCalendarStateResponse>(
  GetCalendarState,
  (request, context, runtime) => runtime.get(changeCalendars).getCalendarState(context, request),
);
