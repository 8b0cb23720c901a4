/** Fields every analysis result carries, so no figure leaves the module without its method and base. */
export interface ResultMeta {
  /** The method, named precisely enough to reproduce it with a reference implementation. */
  method: string;
  /** Conditions a reader must know about (small cells, dropped cases, undefined statistics). */
  warnings: string[];
}

/** A category as defined in the questionnaire: codes are stored, labels are printed. */
export interface Category {
  code: string;
  label: string;
}
