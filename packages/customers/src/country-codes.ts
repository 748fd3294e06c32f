/**
 * ISO 3166-1 alpha-2 codes, as a plain list so validation needs no country library (a bundle of
 * a provider that converts no countries stays small). Grouped by first letter to keep bundles
 * small: "ADEF…" is AD, AE, AF…. A test checks it against i18n-iso-countries.
 */
const GROUPS =
  "ADEFGILMOQRSTUWXZ BABDEFGHIJLMNOQRSTVWYZ CACDFGHIKLMNORUVWXYZ DEJKMOZ ECEGHRST FIJKMOR " +
  "GABDEFGHILMNPQRSTUWY HKMNRTU IDELMNOQRST JEMOP KEGHIMNPRWYZ LABCIKRSTUVY " +
  "MACDEFGHKLMNOPQRSTUVWXYZ NACEFGILOPRUZ OM PAEFGHKLMNRSTWY QA REOSUW SABCDEGHIJKLMNORSTVXYZ " +
  "TCDFGHJKLMNORTVWZ UAGMSYZ VACEGINU WFS XK YET ZAMW";

export const ALPHA2_CODES: ReadonlySet<string> = new Set(
  GROUPS.split(" ").flatMap((group) => [...group.slice(1)].map((second) => group[0] + second)),
);
