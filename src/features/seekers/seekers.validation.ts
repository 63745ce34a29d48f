// Owns the seeker profile form; its fields' rules and messages are the shared ones of profileFields.ts.
import { z } from 'zod';
import { districtField, introField, jobTypesField, optionalBirthYearField, optionalGenderField, realNameField } from './profileFields';

export { AGE_MAX, AGE_MIN, INTRO_MAX } from './profileFields';

/** The profile form; birth years are checked against `year` (this year in China), for ages 16 to 70. */
export function profileSchema(year: number) {
  return z.object({
    realName: realNameField(),
    gender: optionalGenderField(),
    birthYear: optionalBirthYearField(year),
    district: districtField('所在区'),
    intro: introField(),
    desiredTypes: jobTypesField('求职意向'),
  });
}

export type ProfileInput = z.infer<ReturnType<typeof profileSchema>>;
