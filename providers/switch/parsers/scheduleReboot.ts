// `display schedule reboot`: " System will reboot at <when> (in H hours and M
// minutes)." or nothing when no reboot is scheduled (LAB-DECISIONS 5).
import { outputLines } from "./common";

/** A reboot scheduled on the switch, as `display schedule reboot` reports it. */
export interface ScheduledReboot {
  /** As printed, e.g. "03:30 06/15/2025". */
  when: string;
  /** Minutes from now, when printed. */
  inMinutes: number | null;
}

const SCHEDULED = /System will reboot at (.+?)(?:\s*\(in (\d+) hours? and (\d+) minutes?\))?\.?\s*$/;

export function parseScheduleReboot(text: string): ScheduledReboot | null {
  for (const line of outputLines(text)) {
    const m = SCHEDULED.exec(line);
    if (m) {
      return {
        when: m[1].trim(),
        inMinutes: m[2] !== undefined ? Number(m[2]) * 60 + Number(m[3]) : null,
      };
    }
  }
  return null;
}
