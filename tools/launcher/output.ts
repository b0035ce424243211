const COLORS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];
const tty = process.stdout.isTTY === true;

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A line that must not be missed (a crash, a failed start): red on a terminal, on stderr. */
export function shout(line: string): void {
  process.stderr.write(process.stderr.isTTY ? `\u001b[1;31m${line}\u001b[0m\n` : `${line}\n`);
}

/** Prints a service's output lines as `name | line`, each service in its own colour on a terminal. */
export function prefixer(name: string, index: number, width: number): (line: string) => void {
  const label = `${name.padEnd(width)} |`;
  const shown = tty ? `\u001b[${COLORS[index % COLORS.length]}m${label}\u001b[0m` : label;
  return (line) => process.stdout.write(`${shown} ${line}\n`);
}
