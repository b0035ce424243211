/** Components report whether they can serve; `/health/ready` is the conjunction. */
export type ReadinessCheck = () => boolean;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  report(): { ready: boolean; checks: Record<string, boolean> } {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) checks[name] = safe(check);
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}

function safe(check: ReadinessCheck): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
