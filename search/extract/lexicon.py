"""The lexicon: word lists that are rules rather than data, and the office titles.

The place passes read the words around a place name (``ORG_SUFFIX`` makes "US Foods" a company,
``GOV_FOLLOW`` keeps "Orange County District Attorney" a place, ``DIRECTIONAL`` makes "Southern
California" a vague area); the official passes read ``NAME_STOP`` (capitalised words that are
never part of a person's name), the honorifics and the title modifiers. The titles themselves
come from ``data/official_titles.txt``, which a user may extend.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")  # (``regions`` reads its tables from here too)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A place name followed by one of these is part of a company, school or facility name
# ("US Foods", "Pennsylvania Avenue", "Southern New Hampshire University").
ORG_SUFFIX = _words(
    """Foods Food University College School Schools Academy Institute Hospital Hospitals Clinic
    Medical Health-System Airport Airlines Airways Rail Railway Railroad Express Link Line Lines
    Avenue Ave Ave. Street St St. Road Rd Rd. Boulevard Blvd Blvd. Drive Lane Highway Freeway
    Parkway Pkwy Bridge Tunnel Park Stadium Arena Center Centre Mall Plaza Hotel Resort Casino
    Inc Inc. Corp Corp. Corporation Company Co Co. LLC Ltd Ltd. Group Holdings Investments Capital
    Partners Bank Bancorp Financial Insurance Energy Power Electric Gas Oil Steel Motors Motor
    Instruments Pharmaceuticals Foods Brands Entertainment Media Times Post Tribune Herald
    Journal Register Today News Magazine Radio TV Television Network Studios Records Museum
    Gallery Symphony Orchestra Opera Theatre Theater Church Cathedral Diocese Zoo Aquarium
    Club FC Team Mavericks Cowboys Rangers Stars Texans Rockets Astros Lakers Dodgers Angels
    Chargers Padres Giants Warriors Bulls Bears Cubs Sox Heat Dolphins Marlins Yankees Mets
    Steelers Eagles Raiders Kings Clippers Ducks Wild Beach Bay River Lake Mountains Valley
    Restaurant Restaurants Bar Grill Cafe Coffee Brewing Brewery Winery Ranch Farms Realty
    Homes Properties Apartments Fund Foundation Association Society League Alliance Coalition
    Council-Inc Commission-Inc Conference Summit Expo Festival Fair Marathon Award Awards Prize
    Cup Open Championship Games Fashion Week Dreamers Rising Strong Scholarship Scholarships
    Memorial Trust Library Courthouse Building Hall Tower Station Terminal Port Products
    Solutions Systems Technologies Services Industries Labs Networks Software Consulting
    Ventures Enterprises Pediatrics Dental Law Offices Associates Studios Salon Design Designs
    Creative AG GmbH PLC Plc SE SA NV BV SpA Oy AB ASA KK Pty Limited LLP LP Logistics Shipping
    Trading Freight Cargo"""
)

# Words after a place name that keep it a place: its own government and offices.
GOV_FOLLOW = _words(
    """County City Town Township Village State Province District Borough Parish Municipality
    Region Metropolitan Metro Police Sheriff Sheriff's Sheriff’s Fire Department Dept Dept.
    Office Attorney Attorney's Attorney’s DA DA's Prosecutor Prosecutor's Court Courts Superior
    Supreme Municipal Justice Jail Corrections Correctional Probation Parole Government
    Administration Agency Authority Bureau Commission Council Board Legislature Assembly Senate
    House Congress Parliament Ministry Minister Prime Premier President Vice Governor Mayor
    Mayor's Mayor’s Governor's Governor’s Secretary Commissioner Chief Superintendent Treasurer
    Comptroller Controller Auditor Assessor Coroner Medical Examiner Public Health Human Services
    Department's Highway Patrol Army Navy Air Force Marine Marines Coast Guard National Guard
    Embassy Consulate Mission Trade Representative Representatives Ambassador Senator Senators
    Federal Capitol Statehouse Water Transit Housing Elections Election Registrar Clerk
    Judge Judges Treasury Census Customs Border Immigration Attorney-General Delegation Team-USA
    Homeland Security Emergency Management Forces Armed Military Defence Defense Consul
    Land Landes Länder Kanton Kantons Komitat Komitats Stadt Hauptstadt Provinz Bundesland
    Freistaat Regionen Wojewodschaft Bezirk Landkreis Kreis Gemeinde Nación República Provincia
    Estado Ciudad Comunidad Departamento Municipio Gobierno Département Région Ville Préfecture
    Commune"""
)

# Words that end town names ("Newport Beach", "Red River"): fine in an unknown "X, State".
GEO_WORDS = _words(
    """Beach River Park Bay Lake Lakes Valley Springs Falls Heights Hills Hill Point Harbor
    Harbour Island Islands Mountain Mountains Creek Grove Woods Forest Gardens Village City
    Town Township Port Fort Mount Rapids Junction Landing Station Center Centre Ranch Mesa
    North South East West New Old Saint St. Upper Lower Glen Bluff Bluffs Shores Cove Canyon"""
)

# A place name after one of these names a vague area, not the place ("Southern California").
DIRECTIONAL = _words(
    """North South East West Northern Southern Eastern Western Central Northeast Northwest
    Southeast Southwest Northeastern Northwestern Southeastern Southwestern Upper Lower Greater
    Coastal Inland Downtown Uptown Metro Rural Suburban Outer Inner"""
)

# Capitalised words that may begin a sentence or a heading before a place without being part
# of its name ("In Texas", "The Netherlands").
FUNCTION_WORDS = _words(
    """The A An In At On Of For From To By With And Or But Across Throughout Within Outside Inside
    Near Like As Both All Every Only Our Their His Her Its This That These Those When While After
    Before Since During Under Over Between Among Including Unlike Visit Visiting Welcome From
    Says Said Today Yesterday Tonight Meanwhile Also Statement Remarks Readout Fact Sheet
    Background Update Notice Release Press Media Advisory Photo Photos Video Watch Read Join
    Located Based Headquartered Serving Born Moved Celebrating Congratulations Happy Attention
    Here Where Why How What Which Who Please Contact Tags Tagged Posted Published"""
)

# Organisations whose "of X" never makes X a place of the release ("University of Texas").
ORG_OF = _words(
    """University College School Academy Institute Bank Museum Church Hospital Society Foundation
    Association League Federation Friends Daughters Sons Knights Bishop Archdiocese Diocese
    Orchestra Symphony Chamber Club Universidad Université Universität Hochschule Instituto
    Institut Archivo Museo Musée Banco Banque Colegio"""
)

# The political groups of the European Parliament, for "(S&D, DE)" member country codes.
EP_GROUPS = (
    r"EPP|S&D|Renew(?: Europe)?|ECR|ID|PfE|ESN|Greens/EFA|Verts/ALE|The Left|GUE/NGL|NI|ALDE|"
    r"EFDD|ENF|EFD|Patriots"
)

MONTHS = _words(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)

WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# Capitalised words that are never part of a person's name.
NAME_STOP = (
    (MONTHS - {"April", "May", "June", "August", "Jan", "Jun", "Mar"})  # also given names
    | WEEKDAYS
    | FUNCTION_WORDS
    | GOV_FOLLOW
    # Facility words that are also common surnames stay usable as names: "Governor Park
    # Min-jae", "Senator Hall", "Law Chi-kwong"; after a name they still mark an organisation.
    | (ORG_SUFFIX - _words("Park Hall Law Power Post Lane Church Banks"))
    | DIRECTIONAL
    | _words(
        """Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Honorable Hon Hon. Sir Dame Madam
    Excellency His Her Their Its Deputy Assistant Acting Interim Senior Chief Executive Former
    First Lady Gentleman Members Member Staff Unit Division Section Program Programme Project
    Initiative Act Bill Law Order Rule Plan Report Fund Policy Strategy Partnership Agreement
    Summit Forum Meeting Conference Day Week Month Year New Old Great Grand Saint St St.
    Regional National International Global World Federal Republic Kingdom Union European Nations
    United States America American Americans Democratic Republican Party Administration
    Biden-Harris White Black Latino Asian Native Indian Tribe Tribal Nation Nations Community
    Special Victims Narcotics Homicide Gang Major Crimes Felony Misdemeanor Unit Case Cases
    Investigation Investigations Task Force Operation COVID-19 COVID Covid Coronavirus
    Affairs Relations Operations Development Technology Policy Economic Economy Security
    Labor Labour Commerce Energy Education Transportation Agriculture Interior Veterans Defense
    Homeland Health Human Services Housing Urban Justice Finance Foreign Home Trade Treasury
    Infrastructure Implementation Gender Cyber Emerging Climate Domestic Science Innovation
    Growth Enrollment Marketing Sales Communications Operations Product Engineering Strategy
    Business Legal Compliance Research Public Private Information Control Infection Risk
    Company Companies Inc Inc. LLC Ltd Corp Corp. Co Co. Group Holdings Partners Capital
    Announces Announced Announce Says Said Urges Calls Signs Signed Meets Met Discusses Visits
    Welcomes Joins Launches Honors Names Named Charged Sentenced Convicted Arrested Indicted
    Statement Remarks Readout Release Releases Hosts Hosted Leads Applauds Praises Celebrates
    Solutions Systems Technologies Technology Services Distributor Distributors Industries Labs
    Networks Software Consulting Digital Products Ventures Healthcare Pharma Therapeutics
    Sciences Resources Mining Minerals Metals Logistics Portfolio Securities Markets Exchange
    Chairman Chair Secretary Minister Senator Senators Governor Mayor Judge Sheriff
    Detective Detectives Investigator Investigators Officer Officers Sergeant Sgt Sgt. Agent
    Agents Captain Capt Capt. Lieutenant Lt Lt. Corporal Cpl Cpl. Trooper Paralegal Analyst
    Advocate Deputies Charges Charge Faces Pleads Admits Wins Gets Receives Extraordinary
    Plenipotentiary One Two Three Four Five Six Seven Eight Nine Ten Year Years Anonymous Tip
    Hotline System Systems Offices Office Kicks Off Launch Launches Hearings Hearing Shri Smt
    Sheikh Sheikha Shaikh Sayyid Atty Engr Union Sen Rep Gov Cooperation Planning Management
    Care Welfare Exchequer Emperor Empress Prince Princess King Queen Majesty Majesties
    Action Advance Equity Month Youth Cross Relief Response Recovery Reform Rights Language
    Languages Oceans Fisheries Forestry Tourism Culture Sports Environment Industry Unification
    Equality Family Maritime Transport Statistics Heritage Arts"""
    )
)

# Titles that in lower case are ordinary words ("a premier provider", "a Bluetooth speaker").
LOWERCASE_NOT_TITLES = _words("premier speaker controller chair whip justice delegate principal")

# Titles that are also common nouns in names of things: alone they need a full name after
# them ("Justice Ketanji Brown Jackson"), not one word ("Environmental Justice Action").
NEEDS_FULL_NAME = _words("justice chair whip speaker")

# Honorifics that may stand before a name ("Dr Raymond Lai", "The Hon Greg Hunt MP").
HONORIFIC_WORDS = (
    "Dr Mr Mrs Ms Prof Professor Hon Honourable Honorable Sir Dame Rev Shri Smt Sh Sheikh "
    "Sheikha Shaikh Sayyid Sayed Dato Datuk Atty Engr Amb Excellency Mme Madame Mrs Prince "
    "Princess"
).split()

# Words that may stand before a title ("Deputy Assistant Secretary", "Acting Chief Executive").
MODIFIER_WORDS = (
    "Deputy Assistant Associate Acting Interim Senior Sr. Chief Executive Vice Principal Special "
    "First Lead Managing General Regional National State County City District Federal U.S. US "
    "Global Founding Supervising Head Presiding Superior Court Circuit Police Fire Press Trade "
    "Security Technical Medical Labor Policy Legal"
).split()


def load_titles() -> list[str]:
    """The office titles of ``data/official_titles.txt``, as written there."""
    with open(DATA_DIR / "official_titles.txt", encoding="utf-8") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every word of every title ("Vice-President" gives "Vice" and "President"): a
    capitalised word among them ends a person's name and is no part of a place's."""
    return frozenset(w for t in load_titles() for w in re.split(r"[\s-]+", t) if w)
