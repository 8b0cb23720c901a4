export type { Category, ResultMeta } from './types.js';
export { bilingual } from './bilingual.js';
export { roundHalfUp, percent, ROUNDING_RULE } from './rounding.js';
export { formatPValue, P_VALUE_FORMAT_RULE, type PValueLanguage } from './formatPValue.js';
export { chiSquareUpperTail, normalTwoSidedP } from './tails.js';
export {
  responseRates, responseRatesFromCounts, aggregateUnits, DISPOSITIONS,
  type Disposition, type FrameUnit, type FrameCount, type ResponseRateOptions, type ResponseRateResult,
  type GroupRates, type RateSet, type AaporCounts,
} from './responseRates.js';
export { openLinkSummary, type OpenLinkResponse, type OpenLinkSummary } from './openLinkSummary.js';
export {
  crosstab, type CrosstabInput, type CrosstabCell, type CrosstabLine, type CrosstabResult, type Association,
  type NoAnswerMode,
} from './crosstab.js';
export { chiSquareTest, type ChiSquareOptions, type ChiSquareResult } from './chiSquare.js';
export { fisherExact2x2, type FisherExactResult } from './fisherExact.js';
export { twoProportionZTest, type TwoProportionZ } from './twoProportionZ.js';
export {
  compareColumnProportions, columnLetter,
  type ColumnComparisonOptions, type ColumnComparisonResult, type PairTest,
} from './columnComparison.js';
export { suppress, SECONDARY_MARK, type SuppressedCrosstab, type SuppressionFlag } from './suppress.js';
export { multiResponseCrosstab, type MultiResponseInput, type MultiResponseResult, type MultiResponseRow } from './multiResponse.js';
export { describe, type Descriptives } from './descriptives.js';
export { pairByKey, type KeyedPair, type Pairing } from './pairByKey.js';
export {
  pairedComparison, type PairedComparisonOptions, type PairedComparisonResult, type PairedTTest,
} from './pairedComparison.js';
export {
  wilcoxonSignedRank, wilcoxonMethodEnglish, WILCOXON_METHOD,
  type WilcoxonSignedRankResult, type WilcoxonSignedRankOptions, type WilcoxonPMethod, type WilcoxonPMethodCode,
} from './wilcoxonSignedRank.js';
export { mcnemar, mcnemarFromCounts, type McNemarCounts, type McNemarResult } from './mcnemar.js';
export { welchComparison, type WelchComparisonResult } from './welchComparison.js';
export { cronbachAlpha, type CronbachAlphaResult } from './cronbachAlpha.js';
export { adjustPValues, type AdjustedPValues, type PAdjustMethod } from './adjustPValues.js';
export { DUPLICATE_POLICIES, prePostReport, type DuplicatePolicy, type PrePostReport, type WaveAnswers, type WaveScoring } from './prePostReport.js';
export { effectSizeWords, prePostReading, SMALL_N, type PrePostReading, type PrePostReadingInput, type PrePostVerdict } from './prePostReading.js';
export { suppressMultiResponse, type SuppressedMultiResponse } from './suppressMultiResponse.js';
export { frequencyTable, type FrequencyInput, type FrequencyLine, type FrequencyTable } from './frequencyTable.js';
export { distributionSummary, type DistributionSummary, type ValueCount } from './weightedDescriptives.js';
export { scoreDistribution, type AnswerPattern, type ScoreDistribution } from './scoreDistribution.js';
export { wilsonInterval, WILSON_METHOD, type ProportionInterval } from './wilsonInterval.js';
export { directStandardisation, DIRECT_STANDARDISATION_METHOD, type Standardised, type StratumRates } from './directStandardisation.js';
