// The platform services' decisions as plain functions: the runner's rights,
// the scanner's small-report defaults, and every bad argument named.
import { describe, expect, it } from "vitest";
import {
  chartSource,
  GITLAB_RUNNER_CHART,
  runnerChartValues,
  runnerFailures,
  runnerRoleRules,
  scannerChartValues,
  scannerFailures,
} from "../../../components/kubernetes";

describe("GitLab Runner", () => {
  it("its Role grants pods and what a job needs, never RBAC objects, nodes or a wildcard", () => {
    const rules = runnerRoleRules();
    const resources = rules.flatMap((r) => r.resources);
    expect(resources).toEqual(
      expect.arrayContaining(["pods", "pods/exec", "pods/attach", "pods/log", "secrets"]),
    );
    for (const rule of rules) {
      expect(rule.apiGroups).toEqual([""]);
      expect([...rule.resources, ...rule.verbs]).not.toContain("*");
      expect(rule.resources.some((r) => /roles|rolebindings|nodes|namespaces/.test(r))).toBe(false);
    }
  });

  it("keeps job pods in its namespace, under an account without rights, each sized for the quota", () => {
    const values = runnerChartValues({ gitlabUrl: "https://gitlab.cd49.fr", runnerToken: "t" }, "ci", "tok");
    expect(values).toMatchObject({
      rbac: { create: false },
      serviceAccount: { create: false },
      concurrent: 4,
    });
    expect(values.runners.config).toContain('namespace = "ci"');
    expect(values.runners.config).toContain('service_account = "gitlab-runner-jobs"');
    expect(values.runners.config).toContain("privileged = false");
    expect(values.runners.config).toMatch(/cpu_request = "100m"/);
  });

  it.each([
    [{ gitlabUrl: "gitlab.cd49.fr" }, "gitlabUrl", /is not a URL/],
    [{ concurrentJobs: 0 }, "concurrentJobs", /from 1 to 100/],
  ])("%j is refused naming %s", (extra, property, reason) => {
    const failures = runnerFailures({ gitlabUrl: "https://gitlab.cd49.fr", runnerToken: "t", ...extra });
    expect(failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });
});

describe("trivy-operator", () => {
  it("by default keeps reports small: current revisions, HIGH and CRITICAL with a fix, a day's TTL", () => {
    const values = scannerChartValues({});
    expect(values.operator).toMatchObject({
      vulnerabilityScannerScanOnlyCurrentRevisions: true,
      scannerReportTTL: "24h",
      scanJobsConcurrentLimit: 2,
      rbacAssessmentScannerEnabled: false,
      infraAssessmentScannerEnabled: false,
    });
    expect(values.trivy).toMatchObject({ severity: "HIGH,CRITICAL", ignoreUnfixed: true });
    expect(values.excludeNamespaces).toBe("kube-system,kube-public,kube-node-lease");
  });

  it.each([
    ["LOW", "LOW,MEDIUM,HIGH,CRITICAL"],
    ["CRITICAL", "CRITICAL"],
    ["UNKNOWN", "UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL"],
  ])("minSeverity %s reports %s", (minSeverity, severity) => {
    expect(scannerChartValues({ minSeverity }).trivy.severity).toBe(severity);
  });

  it("refuses bad settings all at once, naming each field", () => {
    expect(scannerFailures({ minSeverity: "SEVERE", reportTtlHours: 0, concurrentScans: 50 })).toEqual([
      { property: "minSeverity", reason: expect.stringMatching(/use UNKNOWN, LOW/) },
      { property: "reportTtlHours", reason: expect.stringMatching(/from 1 to 720/) },
      { property: "concurrentScans", reason: expect.stringMatching(/from 1 to 20/) },
    ]);
  });
});

describe("a platform service's chart source", () => {
  it.each([
    [
      "the upstream chart at its pinned version by default",
      {},
      {
        chart: "gitlab-runner",
        repositoryOpts: { repo: "https://charts.gitlab.io" },
        version: GITLAB_RUNNER_CHART.version,
      },
    ],
    [
      "a mirror and another version",
      { chartRepository: "https://charts.chu.example", chartVersion: "0.70.3" },
      { chart: "gitlab-runner", repositoryOpts: { repo: "https://charts.chu.example" }, version: "0.70.3" },
    ],
    [
      "a local folder alone, repository and version left out",
      { chartPath: "/srv/charts/gitlab-runner", chartVersion: "0.70.3" },
      { chart: "/srv/charts/gitlab-runner" },
    ],
  ])("%s", (_case, args, expected) => {
    expect(chartSource(args, GITLAB_RUNNER_CHART)).toEqual(expected);
  });
});
