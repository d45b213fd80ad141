// `display irf`: the members of an IRF stack with their roles and priorities.
// Comware 5 heads the table "Switch Role Priority CPU-Mac Description" with
// roles Master/Slave; Comware 7 uses "MemberID" and Master/Standby.
import { ParseError, outputLines } from "./common";

/** One row of the `display irf` member table. */
export interface IrfMember {
  /** Member ID. */
  id: number;
  /** As printed: "Master", "Slave", "Standby", "Loading", ... */
  role: string;
  /** True for the master (marked "*", or role "Master"). */
  isMaster: boolean;
  /** The member this session is logged in through ("+"). */
  isLoginMember: boolean;
  /** IRF member priority, as printed. */
  priority: number;
  /** CPU MAC address, as printed. */
  cpuMac: string;
  /** Description column; "" when empty. */
  description: string;
}

/** What `display irf` says about a stack. */
export interface IrfInfo {
  /** Members in table order. */
  members: IrfMember[];
  /** ID of the master. */
  masterId: number;
  /** Bridge MAC of the IRF stack, null when not printed. */
  bridgeMac: string | null;
  /** The "Auto upgrade" setting ("yes" is true), null when not printed. */
  autoUpgrade: boolean | null;
  /** IRF domain ID, null when not printed. */
  domainId: number | null;
}

const COMMAND = "display irf";
const HEADER = /^\s*(Switch|MemberID)\s+Role\s+Priority\s+CPU-Mac\s+Description\s*$/;
const MEMBER = /^\s*([*+]*)\s*(\d+)\s+([A-Za-z]+)\s+(\d+)\s+(\S+)\s*(.*?)\s*$/;

export function parseDisplayIrf(text: string): IrfInfo {
  const lines = outputLines(text);
  const headerIndex = lines.findIndex((l) => HEADER.test(l));
  if (headerIndex < 0) throw new ParseError(COMMAND, 'no "Switch|MemberID  Role  Priority  CPU-Mac" header');

  const members: IrfMember[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    const m = MEMBER.exec(line);
    if (!m) {
      if (members.length > 0) break; // the table ends at the first non-member line
      continue;
    }
    members.push({
      id: Number(m[2]),
      role: m[3],
      // "*" marks the master; the role column says so too (and is all the CW5 sample has for sure).
      isMaster: m[1].includes("*") || m[3] === "Master",
      isLoginMember: m[1].includes("+"),
      priority: Number(m[4]),
      cpuMac: m[5],
      description: m[6],
    });
  }
  if (members.length === 0) throw new ParseError(COMMAND, "the member table is empty");
  const master = members.find((m) => m.isMaster);
  if (!master) throw new ParseError(COMMAND, "no member is marked Master");

  const field = (name: RegExp): string | null => {
    for (const line of lines) {
      const m = name.exec(line);
      if (m) return m[1].trim();
    }
    return null;
  };
  const autoUpgrade = field(/^\s*Auto upgrade\s*:\s*(\S+)/);
  const domainId = field(/^\s*Domain ID\s*:\s*(\d+)/);
  return {
    members,
    masterId: master.id,
    bridgeMac: field(/The bridge MAC of the IRF is:\s*(\S+)/i),
    autoUpgrade: autoUpgrade === null ? null : autoUpgrade.toLowerCase() === "yes",
    domainId: domainId === null ? null : Number(domainId),
  };
}
