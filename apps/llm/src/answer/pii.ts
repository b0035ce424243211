/** Placeholder until the PII detector lands. */
export function containsPii(_text: string): boolean {
  return false;
}
