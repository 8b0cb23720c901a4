import { surveyLocalization } from 'survey-core';
import 'survey-core/i18n/japanese';

// Templates write Japanese as the "default" text and English under "en". survey-core's default
// locale is English, which would make "en" resolve to the Japanese default text: make Japanese the default.
surveyLocalization.defaultLocale = 'ja';

export { Model, type Question } from 'survey-core';
