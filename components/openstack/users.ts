// Project users with the seed's three roles (member, admin, reader), each
// with a generated initial password exported as a secret.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { GeneratedPassword } from "../../providers/secrets";
import { assertValidName } from "./naming";

/** Keystone roles socle assigns on a project. */
export enum ProjectRole {
  /** Uses the project's resources (creates and manages servers, networks...). */
  Member = "member",
  /** Administers the project. */
  Admin = "admin",
  /** Read-only access. */
  Reader = "reader",
}

/** One user and their role on the project. */
export interface ProjectUserSpec {
  /** Keystone user name (lowercase, e.g. "dsi-alice"). */
  name: string;
  /** Role on the project. */
  role: ProjectRole;
}

/** Arguments of {@link ProjectUsers}. */
export interface ProjectUsersArgs {
  /** Keystone project the users get their roles on (and their default project). */
  projectId: pulumi.Input<string>;
  /** Users to create, each name once. */
  users: ProjectUserSpec[];
  /**
   * Keystone domain of the users.
   * @default "default"
   */
  domainId?: pulumi.Input<string>;
}

/** Users of a project and their role assignments. Needs an admin provider. */
export class ProjectUsers extends pulumi.ComponentResource {
  /** Initial password by user name (secret). */
  public readonly passwords: pulumi.Output<Record<string, string>>;
  /** Who has which role. */
  public readonly grants: {
    /** Keystone user name. */
    user: string;
    /** Role on the project. */
    role: ProjectRole;
  }[];
  /** Keystone user ID by user name. */
  public readonly userIds: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: ProjectUsersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:ProjectUsers", name, {}, opts);
    const roleIds = new Map<ProjectRole, pulumi.Output<string>>();
    const passwords: Record<string, pulumi.Output<string>> = {};
    const seen = new Set<string>();
    for (const u of args.users) {
      assertValidName("users[].name", u.name);
      if (seen.has(u.name)) throw new Error(`users: "${u.name}" appears twice; give each user one role`);
      seen.add(u.name);
      if (!Object.values(ProjectRole).includes(u.role)) {
        throw new Error(
          `users["${u.name}"].role: "${String(u.role)}" is not allowed; use ${Object.values(ProjectRole).join(", ")}`,
        );
      }
      let roleId = roleIds.get(u.role);
      if (!roleId) {
        roleId = openstack.identity.getRoleOutput({ name: u.role }, { parent: this }).id;
        roleIds.set(u.role, roleId);
      }
      const password = new GeneratedPassword(`${name}-${u.name}`, { length: 24 }, { parent: this });
      const user = new openstack.identity.User(
        `${name}-${u.name}`,
        {
          name: u.name,
          domainId: args.domainId ?? "default",
          defaultProjectId: args.projectId,
          password: password.result,
          ignoreChangePasswordUponFirstUse: false,
        },
        { parent: this, ignoreChanges: ["password"] },
      );
      new openstack.identity.RoleAssignment(
        `${name}-${u.name}-${u.role}`,
        { projectId: args.projectId, userId: user.id, roleId },
        { parent: this },
      );
      passwords[u.name] = password.result;
      this.userIds[u.name] = user.id;
    }
    this.grants = args.users.map((u) => ({ user: u.name, role: u.role }));
    this.passwords = pulumi.secret(pulumi.all(passwords));
    this.registerOutputs({ passwords: this.passwords, grants: this.grants });
  }
}
