/**
 * Values of index fields this version does not know, kept as JSON text.
 * They are only ever written back, and as text they cost nothing to carry:
 * a value nested 100,000 levels deep (which JSON.parse reads without
 * recursion) would overflow the stack of JSON.stringify, and of any deep
 * copy, on every later write of the index.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

type Frame = { kind: 'array'; items: unknown[]; next: number } | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; next: number };

/** JSON text of a value as JSON.stringify writes it, without recursion (for values that came from JSON.parse). */
export function stringifyDeep(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  // Writes a scalar, or opens a container and leaves it on the stack.
  const emit = (v: unknown): void => {
    if (v instanceof RawJson) out.push(v.text);
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push({ kind: 'array', items: v, next: 0 });
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      stack.push({ kind: 'object', obj: v as Record<string, unknown>, keys: Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined), next: 0 });
    } else out.push(JSON.stringify(v) ?? 'null');
  };
  emit(value);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.kind === 'array') {
      if (top.next === top.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.next > 0) out.push(',');
      emit(top.items[top.next++]);
    } else {
      if (top.next === top.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const key = top.keys[top.next++] as string;
      out.push(`${top.next > 1 ? ',' : ''}${JSON.stringify(key)}:`);
      emit(top.obj[key]);
    }
  }
  return out.join('');
}

/** An unknown field's value as kept: its JSON text. */
export const keepRaw = (value: unknown): RawJson => (value instanceof RawJson ? value : new RawJson(stringifyDeep(value)));

/** JSON text of a value to write: kept text as it is, anything else through JSON.stringify. */
export const jsonText = (value: unknown): string => (value instanceof RawJson ? value.text : stringifyDeep(value));
