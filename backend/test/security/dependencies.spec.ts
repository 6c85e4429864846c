import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm audit --omit=dev`: no high or critical advisory in what production
 * installs. Some registries (mirrors, this build machine's) do not implement
 * the audit endpoint; npm then reports "audit endpoint returned an error"
 * with the endpoint's HTTP status. That one condition is reported and
 * tolerated; set REQUIRE_NPM_AUDIT=1 (CI against the public registry) to make
 * it a failure too. Any real high or critical advisory always fails.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface AuditReport {
  auditReportVersion?: number;
  vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  metadata?: { vulnerabilities?: Record<string, number> };
  message?: string;
  statusCode?: number;
  uri?: string;
  error?: { code?: string; summary?: string; detail?: string };
}

export function auditVerdict(report: AuditReport, stderr: string): { kind: 'clean' | 'advisories' | 'unavailable' | 'broken'; detail: string } {
  if (report.auditReportVersion && report.metadata?.vulnerabilities) {
    const counts = report.metadata.vulnerabilities;
    const serious = Object.entries(report.vulnerabilities ?? {})
      .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
      .map(([name, v]) => `${name} (${v.severity})`);
    return serious.length > 0 || (counts.high ?? 0) + (counts.critical ?? 0) > 0
      ? { kind: 'advisories', detail: `high/critical advisories in production dependencies: ${serious.join(', ')}` }
      : { kind: 'clean', detail: JSON.stringify(counts) };
  }
  const endpointRefused =
    /audit endpoint returned an error|audit endpoint|EAUDITNOLOCK|ENOAUDIT/i.test(stderr) ||
    (typeof report.uri === 'string' && report.uri.includes('/-/npm/v1/security/')) ||
    /ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT/.test(`${report.error?.code ?? ''} ${report.message ?? ''} ${stderr}`);
  if (endpointRefused) return { kind: 'unavailable', detail: report.message ?? stderr.split('\n').find(Boolean) ?? 'no detail' };
  return { kind: 'broken', detail: `unexpected npm audit output: ${JSON.stringify(report).slice(0, 500)} ${stderr.slice(0, 500)}` };
}

describe('dependencies', () => {
  it('have no high or critical advisory in production (npm audit --omit=dev)', () => {
    const result = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    let report: AuditReport;
    try {
      report = JSON.parse(result.stdout || '{}');
    } catch {
      report = { message: result.stdout.slice(0, 500) };
    }
    const verdict = auditVerdict(report, result.stderr ?? '');
    if (verdict.kind === 'unavailable') {
      const message = `npm audit could not run: the registry's audit endpoint is unavailable (${verdict.detail}). No advisories were checked.`;
      if (process.env.REQUIRE_NPM_AUDIT === '1') throw new Error(message);
      process.stdout.write(`WARNING: ${message}\n`);
      return;
    }
    expect(verdict).toEqual({ kind: 'clean', detail: expect.any(String) });
  });

  it('tells advisories, a clean report and an unavailable endpoint apart', () => {
    const advisory = { auditReportVersion: 2, vulnerabilities: { lodash: { severity: 'critical', via: [] } }, metadata: { vulnerabilities: { high: 0, critical: 1 } } };
    expect(auditVerdict(advisory, '').kind).toBe('advisories');
    expect(auditVerdict({ auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { low: 2, high: 0, critical: 0 } } }, '').kind).toBe('clean');
    const refused = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405, uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk' };
    expect(auditVerdict(refused, 'npm error audit endpoint returned an error').kind).toBe('unavailable');
    expect(auditVerdict({ message: 'something else' }, 'npm error code E500').kind).toBe('broken');
  });
});
