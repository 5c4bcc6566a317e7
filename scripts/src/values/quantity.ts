// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity), exactly, as fractions:
// `500m`, `1`, `0.5`, `256Mi`, `1Gi`, `1e3`, `1.5G`. Floats would misjudge `0.1` vs `100m`.

export interface Quantity {
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const FORM =
  /^([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

/** The quantity, or undefined when the text is not one. Numbers from YAML are accepted too. */
export function parseQuantity(v: unknown): Quantity | undefined {
  const text = typeof v === 'number' ? numberText(v) : typeof v === 'string' ? v.trim() : undefined;
  if (text === undefined) return undefined;
  const m = FORM.exec(text);
  if (!m) return undefined;
  const [, sign, digits, suffix, exponent] = m as unknown as [string, string, string, string?, string?];
  const [int, frac = ''] = digits.split('.') as [string, string?];
  let num = BigInt(`${int || '0'}${frac}` || '0');
  let den = 10n ** BigInt(frac.length);
  let exp10 = 0;
  if (exponent !== undefined) {
    exp10 = Number(exponent);
    if (Math.abs(exp10) > 100) return undefined;
  } else if (suffix && suffix in BINARY) {
    num *= 2n ** BigInt(10 * (BINARY[suffix] as number));
  } else exp10 = DECIMAL[suffix ?? ''] ?? 0;
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  if (sign === '-') num = -num;
  return { num, den };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // 1e21 prints as "1e+21", which the exponent form above reads.
  return String(n);
}
