import { Model, Serializer, settings, surveyLocalization } from 'survey-core';
import 'survey-core/i18n/japanese';

// Templates write Japanese as the "default" text and English under "en". survey-core's default
// locale is English, which would make "en" resolve to the Japanese default text: make Japanese the default.
surveyLocalization.defaultLocale = 'ja';

// survey-core schedules browser work (scrolling to an error, focusing an input) on timers that read
// settings.environment; on the server that is undefined and the timer's exception would stop the
// process. An empty environment makes those timers find nothing to scroll.
(settings as { environment: unknown }).environment = {};

// Survey-level properties this service adds to SurveyJS JSON (read by the participant page):
// who runs the survey, the privacy notice, and the languages the questionnaire is offered in.
for (const property of [
  { name: 'organisationName', isLocalizable: true },
  { name: 'privacyNotice', isLocalizable: true },
  { name: 'languages' },
]) {
  if (!Serializer.findProperty('survey', property.name)) Serializer.addProperty('survey', property);
}

/**
 * A new survey-core model that never touches a browser: validation would otherwise expand
 * collapsed panels and scroll to them. Each check builds its own, so no answer can change how a
 * later one is judged.
 */
export function freshModel(definition: Record<string, unknown>, locale: 'ja' | 'en' = 'ja'): Model {
  const model = new Model(definition);
  model.onScrollToTop.add((_, options) => {
    options.cancel = true;
  });
  model.locale = locale;
  return model;
}

/**
 * Runs survey-core work on participant data without its console warnings: they print the
 * submitted value ("An attempt to assign an incorrect value…"), which would put answers in the
 * server's log and let one request write hundreds of kilobytes there. Synchronous, so nothing else
 * runs while console.warn is replaced.
 */
export function quietly<T>(work: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return work();
  } finally {
    console.warn = warn;
  }
}

export { Model, Serializer, type Question } from 'survey-core';
