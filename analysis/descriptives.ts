import { mean, sampleStandardDeviation } from 'simple-statistics';

export interface Descriptives {
  n: number;
  mean: number | null;
  /** Sample SD (n − 1 denominator). */
  sd: number | null;
}

/** n, mean and sample SD, null where undefined (n = 0 for the mean, n < 2 for the SD). */
export function describe(values: number[]): Descriptives {
  return {
    n: values.length,
    mean: values.length > 0 ? mean(values) : null,
    sd: values.length > 1 ? sampleStandardDeviation(values) : null,
  };
}
