// Reads the sample lines of an exposition text into a map from the sample as written
// (`name{label="value"}`) to its value, for assertions. Not a validator: promtool is
// (fixtures/promtool.ts); this only finds values in text that promtool accepts.

export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}
