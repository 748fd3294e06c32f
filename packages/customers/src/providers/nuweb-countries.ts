/**
 * NuWeb's internal numeric country ids (`countryId`), keyed by ISO 3166-1 alpha-2.
 *
 * [guess] NuWeb does not document its ids. Its one example sends "225" for a London address,
 * which matches the widely shipped alphabetical ISO country table (ids 1–239, 1 = AF,
 * 225 = GB, 226 = US) that many PHP/Laravel applications seed their `countries` table from.
 * This is that table, written out explicitly. Two of its rows hold retired codes (151 AN
 * "Netherlands Antilles", 189 CS "Serbia and Montenegro"): they are `--` here and cannot be
 * sent. A country absent from the table (e.g. RS, ME, SS, AX, CW) is a validation error, never
 * a guess at run time. Confirm with NuWeb's retrieve-countries endpoint before relying on it.
 */

// Row n (0-based) holds ids 10n+1 … 10n+10, in order.
const ROWS = [
  "AF AL DZ AS AD AO AI AQ AG AR",
  "AM AW AU AT AZ BS BH BD BB BY",
  "BE BZ BJ BM BT BO BA BW BV BR",
  "IO BN BG BF BI KH CM CA CV KY",
  "CF TD CL CN CX CC CO KM CG CD",
  "CK CR CI HR CU CY CZ DK DJ DM",
  "DO EC EG SV GQ ER EE ET FK FO",
  "FJ FI FR GF PF TF GA GM GE DE",
  "GH GI GR GL GD GP GU GT GN GW",
  "GY HT HM VA HN HK HU IS IN ID",
  "IR IQ IE IL IT JM JP JO KZ KE",
  "KI KP KR KW KG LA LV LB LS LR",
  "LY LI LT LU MO MK MG MW MY MV",
  "ML MT MH MQ MR MU YT MX FM MD",
  "MC MN MS MA MZ MM NA NR NP NL",
  "-- NC NZ NI NE NG NU NF MP NO",
  "OM PK PW PS PA PG PY PE PH PN",
  "PL PT PR QA RE RO RU RW SH KN",
  "LC PM VC WS SM ST SA SN -- SC",
  "SL SG SK SI SB SO ZA GS ES LK",
  "SD SR SJ SZ SE CH SY TW TJ TZ",
  "TH TL TG TK TO TT TN TR TM TC",
  "TV UG UA AE GB US UM UY UZ VU",
  "VE VN VG VI WF EH YE ZM ZW",
];

/** alpha-2 → NuWeb id. */
export const NUWEB_COUNTRY_IDS: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  let id = 0;
  for (const row of ROWS) {
    for (const code of row.split(" ")) {
      id += 1;
      if (code !== "--") map.set(code, id);
    }
  }
  return map;
})();

/** NuWeb id → alpha-2. */
export const NUWEB_COUNTRY_CODES: ReadonlyMap<number, string> = new Map(
  [...NUWEB_COUNTRY_IDS].map(([code, id]) => [id, code]),
);
