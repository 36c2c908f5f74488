"""ISO 3166-1 alpha-2: the country codes a case may name, and the names people write instead.

Source of the codes: ISO 3166-1, the 249 officially assigned alpha-2 codes, as
published by the ISO 3166 Maintenance Agency (Online Browsing Platform,
https://www.iso.org/obp/ui/#search/code/), checked against the Unicode CLDR's
region list (CLDR 49, as shipped in babel 2.19) less its exceptionally reserved and
user-assigned codes (AC, CP, CQ, DG, EA, EU, EZ, IC, TA, UN, QO, XA, XB, XK, ZZ).
Names (English, then Bokmål where it differs) are CLDR's; they are only used to
suggest the code when a case names a country instead (`Norway` -> NO).
"""

from __future__ import annotations

_TABLE = """
AD Andorra
AE United Arab Emirates|De forente arabiske emirater
AF Afghanistan
AG Antigua & Barbuda|Antigua og Barbuda
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica|Antarktis
AR Argentina
AS American Samoa|Amerikansk Samoa
AT Austria|Østerrike
AU Australia
AW Aruba
AX Åland Islands|Åland
AZ Azerbaijan|Aserbajdsjan
BA Bosnia & Herzegovina|Bosnia-Hercegovina
BB Barbados
BD Bangladesh
BE Belgium|Belgia
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL St. Barthélemy|Saint-Barthélemy
BM Bermuda
BN Brunei
BO Bolivia
BQ Caribbean Netherlands|Karibisk Nederland
BR Brazil|Brasil
BS Bahamas
BT Bhutan
BV Bouvet Island|Bouvetøya
BW Botswana
BY Belarus
BZ Belize
CA Canada
CC Cocos (Keeling) Islands|Kokosøyene
CD Congo - Kinshasa|Kongo
CF Central African Republic|Den sentralafrikanske republikk
CG Congo - Brazzaville|Kongo-Brazzaville
CH Switzerland|Sveits
CI Côte d’Ivoire|Elfenbenskysten
CK Cook Islands|Cookøyene
CL Chile
CM Cameroon|Kamerun
CN China|Kina
CO Colombia
CR Costa Rica
CU Cuba
CV Cape Verde|Kapp Verde
CW Curaçao
CX Christmas Island|Christmasøya
CY Cyprus|Kypros
CZ Czechia|Tsjekkia
DE Germany|Tyskland
DJ Djibouti
DK Denmark|Danmark
DM Dominica
DO Dominican Republic|Den dominikanske republikk
DZ Algeria|Algerie
EC Ecuador
EE Estonia|Estland
EG Egypt
EH Western Sahara|Vest-Sahara
ER Eritrea
ES Spain|Spania
ET Ethiopia|Etiopia
FI Finland
FJ Fiji
FK Falkland Islands|Falklandsøyene
FM Micronesia|Mikronesiaføderasjonen
FO Faroe Islands|Færøyene
FR France|Frankrike
GA Gabon
GB United Kingdom|Storbritannia
GD Grenada
GE Georgia
GF French Guiana|Fransk Guyana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland|Grønland
GM Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea|Ekvatorial-Guinea
GR Greece|Hellas
GS South Georgia & South Sandwich Islands|Sør-Georgia og Sør-Sandwichøyene
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong SAR China|Hongkong SAR Kina
HM Heard Island & McDonald Islands|Heard- og McDonaldøyene
HN Honduras
HR Croatia|Kroatia
HT Haiti
HU Hungary|Ungarn
ID Indonesia
IE Ireland|Irland
IL Israel
IM Isle of Man|Man
IN India
IO British Indian Ocean Territory|Det britiske territoriet i Indiahavet
IQ Iraq|Irak
IR Iran
IS Iceland|Island
IT Italy|Italia
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan|Kirgisistan
KH Cambodia|Kambodsja
KI Kiribati
KM Comoros|Komorene
KN St. Kitts & Nevis|Saint Kitts og Nevis
KP North Korea|Nord-Korea
KR South Korea|Sør-Korea
KW Kuwait
KY Cayman Islands|Caymanøyene
KZ Kazakhstan|Kasakhstan
LA Laos
LB Lebanon|Libanon
LC St. Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania|Litauen
LU Luxembourg|Luxemburg
LV Latvia
LY Libya
MA Morocco|Marokko
MC Monaco
MD Moldova
ME Montenegro
MF St. Martin|Saint-Martin
MG Madagascar|Madagaskar
MH Marshall Islands|Marshalløyene
MK North Macedonia|Nord-Makedonia
ML Mali
MM Myanmar (Burma)
MN Mongolia
MO Macao SAR China|Macao SAR Kina
MP Northern Mariana Islands|Nord-Marianene
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives|Maldivene
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique|Mosambik
NA Namibia
NC New Caledonia|Ny-Caledonia
NE Niger
NF Norfolk Island|Norfolkøya
NG Nigeria
NI Nicaragua
NL Netherlands|Nederland
NO Norway|Norge
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia|Fransk Polynesia
PG Papua New Guinea|Papua Ny-Guinea
PH Philippines|Filippinene
PK Pakistan
PL Poland|Polen
PM St. Pierre & Miquelon|Saint-Pierre-et-Miquelon
PN Pitcairn Islands|Pitcairnøyene
PR Puerto Rico
PS Palestinian Territories|Det palestinske området
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Réunion
RO Romania
RS Serbia
RU Russia|Russland
RW Rwanda
SA Saudi Arabia|Saudi-Arabia
SB Solomon Islands|Salomonøyene
SC Seychelles|Seychellene
SD Sudan
SE Sweden|Sverige
SG Singapore
SH St. Helena, Ascension & Tristan da Cunha|St. Helena
SI Slovenia
SJ Svalbard & Jan Mayen|Svalbard og Jan Mayen
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname|Surinam
SS South Sudan|Sør-Sudan
ST São Tomé & Príncipe|São Tomé og Príncipe
SV El Salvador
SX Sint Maarten
SY Syria
SZ Eswatini
TC Turks & Caicos Islands|Turks- og Caicosøyene
TD Chad|Tsjad
TF French Southern and Antarctic Lands|De franske sørterritorier
TG Togo
TH Thailand
TJ Tajikistan|Tadsjikistan
TK Tokelau
TL Timor-Leste|Øst-Timor
TM Turkmenistan
TN Tunisia
TO Tonga
TR Türkiye|Tyrkia
TT Trinidad & Tobago|Trinidad og Tobago
TV Tuvalu
TW Taiwan
TZ Tanzania
UA Ukraine|Ukraina
UG Uganda
UM U.S. Outlying Islands|USAs ytre øyer
US United States|USA
UY Uruguay
UZ Uzbekistan|Usbekistan
VA Vatican City|Vatikanstaten
VC St. Vincent & Grenadines|St. Vincent og Grenadinene
VE Venezuela
VG British Virgin Islands|De britiske jomfruøyene
VI U.S. Virgin Islands|De amerikanske jomfruøyene
VN Vietnam
VU Vanuatu
WF Wallis & Futuna|Wallis og Futuna
WS Samoa
YE Yemen|Jemen
YT Mayotte
ZA South Africa|Sør-Afrika
ZM Zambia
ZW Zimbabwe
"""

# Names and codes that are not ISO 3166-1 alpha-2 but are often written for one.
_ALIASES = {
    "UK": "GB", "EL": "GR", "GREAT BRITAIN": "GB", "BRITAIN": "GB", "ENGLAND": "GB",
    "SCOTLAND": "GB", "WALES": "GB", "HOLLAND": "NL", "AMERICA": "US", "SOUTH KOREA": "KR",
    # alpha-3 codes of the countries most often named in Norwegian defence procurement
    "USA": "US", "GBR": "GB", "NOR": "NO", "SWE": "SE", "DNK": "DK", "FIN": "FI", "ISL": "IS",
    "DEU": "DE", "FRA": "FR", "NLD": "NL", "CAN": "CA", "ITA": "IT", "ESP": "ES", "POL": "PL",
}

CODES: frozenset[str] = frozenset(line[:2] for line in _TABLE.split("\n") if line)
_BY_NAME: dict[str, str] = {
    name.upper(): line[:2] for line in _TABLE.split("\n") if line for name in line[3:].split("|")
}


def is_country_code(text: str) -> bool:
    return text in CODES


def likely_code(text: str) -> str | None:
    """The code a user most likely meant by `text` (`UK`, `no`, `Norway`), or None."""
    key = " ".join(text.split()).upper()
    if key in CODES:
        return key
    return _ALIASES.get(key) or _BY_NAME.get(key)
