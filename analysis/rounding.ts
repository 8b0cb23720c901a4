/**
 * Rounding for published figures: half away from zero (四捨五入), applied to the decimal value the
 * reader would compute by hand, not to the nearest binary double.
 */

export const ROUNDING_RULE = 'round half up (half away from zero, 四捨五入) on the decimal value';

/**
 * Rounds half away from zero at `decimals` places.
 * Binary doubles make 30.605 into 30.60499999…; reading the number back at 15 significant digits
 * (the precision a double guarantees) recovers the decimal the user meant before the tie is decided.
 * When `decimals` reaches the 15th significant digit or beyond, that reading has no digit left to round:
 * the double itself is rounded (Number.prototype.toFixed, which rounds its exact value, ties up), which
 * for large numbers or many decimals gives x back. Any finite x gives a finite result.
 */
export function roundHalfUp(x: number, decimals = 0): number {
  if (!Number.isFinite(x)) return x;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) {
    throw new RangeError(`decimals must be an integer 0..15, got ${decimals}`);
  }
  const sign = x < 0 ? -1 : 1;
  const [mantissa, exponent] = Math.abs(x).toExponential(14).split('e');
  const shift = Number(exponent) + decimals;
  let result: number;
  if (shift >= 14) {
    // x·10^decimals has all 15 significant digits before the point, so the path below has nothing to
    // round (and past 1e21 it would build "1e+21e-15", NaN). At or above 1e21 toFixed prints the
    // exponent form of |x|, which has no fraction left, and Number() reads |x| back.
    result = Number(Math.abs(x).toFixed(decimals));
  } else {
    // Shifting through the exponent of a decimal string avoids a second inexact multiplication;
    // scaled < 1e14, so the rounded integer prints without an exponent.
    const scaled = Number(`${mantissa}e${shift}`);
    const rounded = Math.floor(scaled + 0.5);
    result = Number(`${rounded}e-${decimals}`);
  }
  return result === 0 ? 0 : sign * result;
}

/**
 * numerator / denominator × 100, rounded half up; null when the denominator is 0.
 * Integer counts take an exact integer path so that no float error can move a tie.
 */
export function percent(numerator: number, denominator: number, decimals = 2): number | null {
  if (denominator === 0 || !Number.isFinite(numerator) || !Number.isFinite(denominator)) return null;
  const scale = 10 ** (decimals + 2);
  if (
    Number.isInteger(numerator) && Number.isInteger(denominator) && numerator >= 0 && denominator > 0 &&
    Number.isSafeInteger(2 * numerator * scale + denominator)
  ) {
    // floor((2·num·10^(d+2) + den) / (2·den)) is round-half-up of num/den·10^(d+2), all in integers.
    const units = Math.floor((2 * numerator * scale + denominator) / (2 * denominator));
    return roundHalfUp(units / 10 ** decimals, decimals);
  }
  return roundHalfUp((numerator / denominator) * 100, decimals);
}
