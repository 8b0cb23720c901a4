import { Serializer, surveyLocalization } from 'survey-core';
import 'survey-core/i18n/japanese';

// Templates write Japanese as the "default" text and English under "en". survey-core's default
// locale is English, which would make "en" resolve to the Japanese default text: make Japanese the default.
surveyLocalization.defaultLocale = 'ja';

// Survey-level properties this service adds to SurveyJS JSON (read by the participant page):
// who runs the survey, the privacy notice, and the languages the questionnaire is offered in.
for (const property of [
  { name: 'organisationName', isLocalizable: true },
  { name: 'privacyNotice', isLocalizable: true },
  { name: 'languages' },
]) {
  if (!Serializer.findProperty('survey', property.name)) Serializer.addProperty('survey', property);
}

export { Model, Serializer, type Question } from 'survey-core';
