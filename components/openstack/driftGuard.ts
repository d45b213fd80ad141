// The credentials a component hands its drift guards: the same as its
// OpenStack resources use. Under an explicit openstack.Provider (a bubble's
// scoped one), that provider's; otherwise the stack's `openstack:*` config,
// as the default provider reads it. Fields left out are taken from the
// engine's OS_* environment when the guard runs (providers/openstack/auth.ts).
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import type { GuardAuthArgs } from "../../providers/openstack";

/** The guard credentials of `component`'s OpenStack resources. */
export function guardAuthOf(component: pulumi.Resource): GuardAuthArgs {
  return guardAuthFor(component.getProvider("openstack::Provider"));
}

/** The guard credentials of resources made through `provider` (undefined: the default provider). */
export function guardAuthFor(provider: pulumi.ProviderResource | undefined): GuardAuthArgs {
  if (provider !== undefined && openstack.Provider.isInstance(provider)) {
    return {
      authUrl: provider.authUrl,
      userName: provider.userName,
      password: provider.password,
      projectId: provider.tenantId,
      projectName: provider.tenantName,
      userDomainName: provider.userDomainName,
      projectDomainName: provider.projectDomainName,
      region: provider.region,
      interface: provider.endpointType,
    };
  }
  const config = new pulumi.Config("openstack");
  return {
    authUrl: config.get("authUrl"),
    userName: config.get("userName"),
    password: config.getSecret("password"),
    projectId: config.get("tenantId"),
    projectName: config.get("tenantName"),
    userDomainName: config.get("userDomainName"),
    projectDomainName: config.get("projectDomainName"),
    region: config.get("region"),
    interface: config.get("endpointType"),
  };
}
