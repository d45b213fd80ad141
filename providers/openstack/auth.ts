// How the drift guards log in to OpenStack: Keystone v3 password auth, like
// the openstack provider and CLI. Each field comes from the guard's inputs,
// else from the engine's OS_* environment (the provider's own rule). Plain
// functions: the HTTP calls are in client.ts.

/** Credentials a guard may be given; every field falls back to its OS_* variable. */
export interface GuardAuth {
  /** Keystone URL, with or without "/v3" (OS_AUTH_URL). */
  authUrl?: string;
  /** User name (OS_USERNAME). */
  userName?: string;
  /** Password (OS_PASSWORD); a Pulumi secret in the state. */
  password?: string;
  /** Project to scope to by ID (OS_PROJECT_ID); wins over projectName. */
  projectId?: string;
  /** Project to scope to by name (OS_PROJECT_NAME). */
  projectName?: string;
  /** Domain of the user (OS_USER_DOMAIN_NAME, else "Default"). */
  userDomainName?: string;
  /** Domain of the project named by projectName (OS_PROJECT_DOMAIN_NAME, else "Default"). */
  projectDomainName?: string;
  /** Region of the endpoints (OS_REGION_NAME, else the first region of the catalog). */
  region?: string;
  /** Endpoint interface: public, internal or admin (OS_INTERFACE, else "public"). */
  interface?: string;
}

/** The auth input fields, in the order they are written to the state. */
export const GUARD_AUTH_FIELDS = [
  "authUrl",
  "userName",
  "password",
  "projectId",
  "projectName",
  "userDomainName",
  "projectDomainName",
  "region",
  "interface",
] as const satisfies readonly (keyof GuardAuth)[];

/** Credentials with every fallback applied: what a login needs. */
export interface ResolvedAuth {
  authUrl: string;
  userName: string;
  password: string;
  userDomainName: string;
  project: { id: string } | { name: string; domainName: string };
  region: string | undefined;
  interface: string;
}

type Env = Record<string, string | undefined>;

const nonEmpty = (...values: (string | undefined)[]): string | undefined =>
  values.find((v) => v !== undefined && v !== "");

/**
 * Merges `given` over the environment. Throws one error naming every missing
 * field, its variable and the way out. A project given in the inputs wins over
 * any project of the environment, so that a scoped provider's project is never
 * mixed with the engine's.
 */
export function resolveAuth(given: GuardAuth, env: Env): ResolvedAuth {
  const authUrl = nonEmpty(given.authUrl, env.OS_AUTH_URL);
  const userName = nonEmpty(given.userName, env.OS_USERNAME);
  const password = nonEmpty(given.password, env.OS_PASSWORD);
  const projectId = nonEmpty(given.projectId);
  const projectName = nonEmpty(given.projectName);
  const project =
    (projectId ?? projectName)
      ? { projectId, projectName }
      : {
          projectId: nonEmpty(env.OS_PROJECT_ID, env.OS_TENANT_ID),
          projectName: nonEmpty(env.OS_PROJECT_NAME, env.OS_TENANT_NAME),
        };
  const missing: string[] = [];
  if (authUrl === undefined) missing.push("authUrl (OS_AUTH_URL)");
  if (userName === undefined) missing.push("userName (OS_USERNAME)");
  if (password === undefined) missing.push("password (OS_PASSWORD)");
  if (project.projectId === undefined && project.projectName === undefined)
    missing.push("projectId or projectName (OS_PROJECT_ID or OS_PROJECT_NAME)");
  if (missing.length > 0 || authUrl === undefined || userName === undefined || password === undefined) {
    throw new Error(
      `OpenStack drift guard: no ${missing.join(", ")}; set them in the engine's environment, run the component under an openstack.Provider that has them, or turn the guard off with guardDrift: false`,
    );
  }
  const userDomainName = nonEmpty(given.userDomainName, env.OS_USER_DOMAIN_NAME) ?? "Default";
  return {
    authUrl,
    userName,
    password,
    userDomainName,
    project:
      project.projectId !== undefined
        ? { id: project.projectId }
        : {
            name: project.projectName ?? "",
            domainName: nonEmpty(given.projectDomainName, env.OS_PROJECT_DOMAIN_NAME) ?? "Default",
          },
    region: nonEmpty(given.region, env.OS_REGION_NAME),
    interface: nonEmpty(given.interface, env.OS_INTERFACE) ?? "public",
  };
}

/** Keystone's token URL for an auth URL given with or without its "/v3". */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, "");
  return `${base.endsWith("/v3") ? base : `${base}/v3`}/auth/tokens`;
}

/** The body of `POST /v3/auth/tokens` for a password login scoped to the project. */
export function tokenRequestBody(auth: ResolvedAuth): unknown {
  return {
    auth: {
      identity: {
        methods: ["password"],
        password: {
          user: { name: auth.userName, domain: { name: auth.userDomainName }, password: auth.password },
        },
      },
      scope: {
        project:
          "id" in auth.project
            ? { id: auth.project.id }
            : { name: auth.project.name, domain: { name: auth.project.domainName } },
      },
    },
  };
}

/** One service of a Keystone token's catalog. */
export interface CatalogService {
  type: string;
  endpoints: { interface: string; region?: string; region_id?: string; url: string }[];
}

/** The URL of service `type` on the interface and region asked for; throws naming what the catalog offers. */
export function endpointFor(
  catalog: CatalogService[],
  type: string,
  iface: string,
  region: string | undefined,
): string {
  const endpoints = catalog.filter((s) => s.type === type).flatMap((s) => s.endpoints);
  const found = endpoints.find(
    (e) => e.interface === iface && (region === undefined || (e.region_id ?? e.region) === region),
  );
  if (found === undefined) {
    const offered = endpoints.map((e) => `${e.interface}@${e.region_id ?? e.region ?? "?"}`).join(", ");
    throw new Error(
      `OpenStack drift guard: the catalog has no "${type}" endpoint for interface "${iface}"${region ? ` in region "${region}"` : ""} (offered: ${offered || "none"}); set region / interface (OS_REGION_NAME / OS_INTERFACE) to one of them`,
    );
  }
  return found.url.replace(/\/+$/, "");
}
