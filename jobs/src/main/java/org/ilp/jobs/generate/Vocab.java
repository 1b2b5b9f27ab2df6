package org.ilp.jobs.generate;

import java.util.List;

/** Realistic value vocabularies of the three source formats (police.uk street, stop-and-search, Chicago). */
final class Vocab {
    private Vocab() {}

    // ------------------------------------------------------------------ police.uk street

    static final String ASB = "Anti-social behaviour";
    static final String BURGLARY = "Burglary";

    /** The 14 police.uk crime types with approximate England &amp; Wales shares. */
    static final Weighted<String> UK_CRIME_TYPES = Weighted.<String>builder()
            .add(ASB, 17)
            .add("Bicycle theft", 1.0)
            .add(BURGLARY, 4.5)
            .add("Criminal damage and arson", 8)
            .add("Drugs", 3)
            .add("Other crime", 2)
            .add("Other theft", 7)
            .add("Possession of weapons", 0.8)
            .add("Public order", 8)
            .add("Robbery", 1.2)
            .add("Shoplifting", 7)
            .add("Theft from the person", 1.5)
            .add("Vehicle crime", 6)
            .add("Violence and sexual offences", 33)
            .build();

    static Weighted<String> ukOutcomes(boolean recent) {
        return Weighted.<String>builder()
                .add("Investigation complete; no suspect identified", 40)
                .add("Unable to prosecute suspect", 24)
                .add("Under investigation", recent ? 30 : 4)
                .add("Status update unavailable", 5)
                .add("Awaiting court outcome", recent ? 5 : 3)
                .add("Court result unavailable", 2)
                .add("Offender given a caution", 1.5)
                .add("Local resolution", 3)
                .add("Further action is not in the public interest", 2)
                .add("Formal action is not in the public interest", 1)
                .add("Further investigation is not in the public interest", 1)
                .add("Action to be taken by another organisation", 2)
                .add("Suspect charged as part of another case", 0.5)
                .add("Offender given penalty notice", 0.4)
                .add("Offender given a drugs possession warning", 0.6)
                .build();
    }

    static final Weighted<String> UK_OUTCOMES = ukOutcomes(false);
    static final Weighted<String> UK_OUTCOMES_RECENT = ukOutcomes(true);

    /** Location snap-point names ("On or near " is prepended); a few contain a comma. */
    static final List<String> UK_PLACES = List.of(
            "High Street", "Station Road", "Church Street", "Park Road", "London Road", "Victoria Road",
            "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue", "Queens Road", "New Road",
            "Grange Road", "Kings Road", "Mill Lane", "School Lane", "North Street", "South Street", "West Street",
            "Albert Road", "Springfield Road", "Chapel Street", "Market Place", "Bridge Street", "Castle Street",
            "York Road", "Richmond Road", "Stanley Road", "Windsor Road", "Main Street", "Highfield Road",
            "Elm Grove", "Orchard Close", "Meadow Way", "St John's Road", "Alexandra Road", "Queen Street",
            "Supermarket", "Shopping Area", "Parking Area", "Petrol Station", "Nightclub", "Sports/Recreation Area",
            "Hospital", "Further/Higher Educational Building", "Pedestrian Subway", "Theatre/Concert Hall",
            "Police Station", "Conference/Exhibition Centre", "Bus/Coach Station", "Shopping Centre",
            "Tesco, High Street", "Asda, Retail Park", "Sainsbury's, Town Centre", "Co-op, Station Road",
            "Lidl, Market Street");

    // ------------------------------------------------------------------ police.uk stop and search

    static final Weighted<String> SS_TYPE = Weighted.<String>builder()
            .add("Person search", 85).add("Person and Vehicle search", 12).add("Vehicle search", 3).build();
    static final Weighted<String> SS_GENDER = Weighted.<String>builder()
            .add("Male", 88).add("Female", 10).add("Other", 0.5).add("", 1.5).build();
    static final Weighted<String> SS_AGE = Weighted.<String>builder()
            .add("18-24", 35).add("25-34", 28).add("over 34", 20).add("10-17", 15).add("under 10", 0.1).add("", 2).build();
    static final Weighted<String[]> SS_ETHNICITY = Weighted.<String[]>builder()
            .add(new String[] {"White - English/Welsh/Scottish/Northern Irish/British", "White"}, 30)
            .add(new String[] {"White - Any other White background", "White"}, 10)
            .add(new String[] {"Black/African/Caribbean/Black British - African", "Black"}, 8)
            .add(new String[] {"Black/African/Caribbean/Black British - Caribbean", "Black"}, 6)
            .add(new String[] {"Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", "Black"}, 9)
            .add(new String[] {"Asian/Asian British - Bangladeshi", "Asian"}, 3)
            .add(new String[] {"Asian/Asian British - Pakistani", "Asian"}, 3)
            .add(new String[] {"Asian/Asian British - Any other Asian background", "Asian"}, 4)
            .add(new String[] {"Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", "Other"}, 4)
            .add(new String[] {"Other ethnic group - Any other ethnic group", "Other"}, 3)
            .add(new String[] {"Other ethnic group - Not stated", ""}, 12)
            .add(new String[] {"", "White"}, 3)
            .add(new String[] {"", ""}, 5)
            .build();
    /** {legislation, object of search}. */
    static final Weighted<String[]> SS_GROUNDS = Weighted.<String[]>builder()
            .add(new String[] {"Misuse of Drugs Act 1971 (section 23)", "Controlled drugs"}, 62)
            .add(new String[] {"Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons"}, 10)
            .add(new String[] {"Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods"}, 12)
            .add(new String[] {"Police and Criminal Evidence Act 1984 (section 1)", "Articles for use in criminal damage"}, 5)
            .add(new String[] {"Criminal Justice and Public Order Act 1994 (section 60)", "Offensive weapons"}, 6)
            .add(new String[] {"Firearms Act 1968 (section 47)", "Firearms"}, 2)
            .add(new String[] {"", ""}, 3)
            .build();
    static final Weighted<String> SS_OUTCOME = Weighted.<String>builder()
            .add("A no further action disposal", 70).add("Arrest", 14).add("Community resolution", 6)
            .add("Khat or Cannabis warning", 5).add("Penalty Notice for Disorder", 2)
            .add("Summons / charged by post", 3).build();

    // ------------------------------------------------------------------ Chicago

    record Iucr(String code, String primaryType, String description, String fbiCode, double weight,
                double arrestP, double domesticP, List<String> locations) {}

    private static final List<String> LOC_STREET = List.of("STREET", "SIDEWALK", "ALLEY", "PARKING LOT / GARAGE (NON RESIDENTIAL)");
    private static final List<String> LOC_HOME = List.of("RESIDENCE", "APARTMENT", "RESIDENCE - PORCH / HALLWAY", "RESIDENCE - GARAGE");
    private static final List<String> LOC_SHOP = List.of("SMALL RETAIL STORE", "DEPARTMENT STORE", "GROCERY FOOD STORE", "RESTAURANT", "COMMERCIAL / BUSINESS OFFICE");
    private static final List<String> LOC_MIX = List.of("STREET", "RESIDENCE", "APARTMENT", "SIDEWALK", "RESTAURANT", "CTA TRAIN",
            "SCHOOL, PUBLIC, BUILDING", "HOSPITAL BUILDING / GROUNDS", "VEHICLE NON-COMMERCIAL", "OTHER (SPECIFY)");

    static final String HOMICIDE_IUCR = "0110";
    static final String CH_BURGLARY = "BURGLARY";

    static final Weighted<Iucr> IUCR = build(
            new Iucr("0486", "BATTERY", "DOMESTIC BATTERY SIMPLE", "08B", 9, 0.12, 1.0, LOC_HOME),
            new Iucr("0460", "BATTERY", "SIMPLE", "08B", 6, 0.15, 0.1, LOC_MIX),
            new Iucr("041A", "BATTERY", "AGGRAVATED: HANDGUN", "04B", 0.8, 0.1, 0.05, LOC_STREET),
            new Iucr("0820", "THEFT", "$500 AND UNDER", "06", 8, 0.05, 0.03, LOC_MIX),
            new Iucr("0810", "THEFT", "OVER $500", "06", 6, 0.03, 0.03, LOC_MIX),
            new Iucr("0860", "THEFT", "RETAIL THEFT", "06", 4, 0.35, 0.0, LOC_SHOP),
            new Iucr("0890", "THEFT", "FROM BUILDING", "06", 2, 0.03, 0.02, LOC_HOME),
            new Iucr("0870", "THEFT", "POCKET-PICKING", "06", 1, 0.02, 0.0, LOC_STREET),
            new Iucr("1310", "CRIMINAL DAMAGE", "TO PROPERTY", "14", 5, 0.04, 0.15, LOC_HOME),
            new Iucr("1320", "CRIMINAL DAMAGE", "TO VEHICLE", "14", 5, 0.02, 0.05, LOC_STREET),
            new Iucr("0560", "ASSAULT", "SIMPLE", "08A", 6, 0.1, 0.2, LOC_MIX),
            new Iucr("051A", "ASSAULT", "AGGRAVATED: HANDGUN", "04A", 1, 0.08, 0.05, LOC_STREET),
            new Iucr("1153", "DECEPTIVE PRACTICE", "FINANCIAL IDENTITY THEFT OVER $ 300", "11", 3, 0.01, 0.0, LOC_HOME),
            new Iucr("1150", "DECEPTIVE PRACTICE", "CREDIT CARD FRAUD", "11", 1, 0.05, 0.0, LOC_SHOP),
            new Iucr("0910", "MOTOR VEHICLE THEFT", "AUTOMOBILE", "07", 7, 0.02, 0.0, LOC_STREET),
            new Iucr("0610", CH_BURGLARY, "FORCIBLE ENTRY", "05", 2.5, 0.04, 0.02, LOC_HOME),
            new Iucr("0620", CH_BURGLARY, "UNLAWFUL ENTRY", "05", 1.5, 0.05, 0.03, LOC_HOME),
            new Iucr("0630", CH_BURGLARY, "ATTEMPT FORCIBLE ENTRY", "05", 0.4, 0.04, 0.02, LOC_HOME),
            new Iucr("031A", "ROBBERY", "ARMED: HANDGUN", "03", 1.5, 0.07, 0.0, LOC_STREET),
            new Iucr("0320", "ROBBERY", "STRONGARM - NO WEAPON", "03", 1, 0.08, 0.0, LOC_STREET),
            new Iucr("2027", "NARCOTICS", "POSS: CRACK", "18", 0.4, 1.0, 0.0, LOC_STREET),
            new Iucr("1811", "NARCOTICS", "POSS: CANNABIS 30GMS OR LESS", "18", 0.3, 1.0, 0.0, LOC_STREET),
            new Iucr("2024", "NARCOTICS", "POSS: HEROIN(WHITE)", "18", 0.4, 1.0, 0.0, LOC_STREET),
            new Iucr("143A", "WEAPONS VIOLATION", "UNLAWFUL POSS OF HANDGUN", "15", 2, 0.9, 0.0, LOC_STREET),
            new Iucr("1477", "WEAPONS VIOLATION", "RECKLESS FIREARM DISCHARGE", "15", 0.5, 0.05, 0.0, LOC_STREET),
            new Iucr(HOMICIDE_IUCR, "HOMICIDE", "FIRST DEGREE MURDER", "01A", 0.25, 0.3, 0.05, LOC_STREET),
            new Iucr("4387", "OTHER OFFENSE", "VIOLATE ORDER OF PROTECTION", "26", 1, 0.3, 0.9, LOC_HOME),
            new Iucr("2825", "OTHER OFFENSE", "HARASSMENT BY TELEPHONE", "26", 2, 0.02, 0.6, LOC_HOME),
            new Iucr("1330", "CRIMINAL TRESPASS", "TO LAND", "26", 1, 0.4, 0.05, LOC_SHOP),
            new Iucr("0266", "CRIMINAL SEXUAL ASSAULT", "PREDATORY", "02", 0.3, 0.1, 0.2, LOC_HOME),
            new Iucr("1752", "OFFENSE INVOLVING CHILDREN", "AGG CRIM SEX ABUSE FAM MEMBER", "20", 0.3, 0.1, 0.9, LOC_HOME),
            new Iucr("3731", "INTERFERENCE WITH PUBLIC OFFICER", "OBSTRUCTING IDENTIFICATION", "24", 0.3, 1.0, 0.0, LOC_STREET));

    private static Weighted<Iucr> build(Iucr... all) {
        Weighted.Builder<Iucr> b = Weighted.builder();
        for (Iucr i : all) {
            b.add(i, i.weight());
        }
        return b.build();
    }

    static Iucr iucr(String code) {
        for (Iucr i : IUCR.items()) {
            if (i.code().equals(code)) {
                return i;
            }
        }
        throw new IllegalArgumentException(code);
    }

    static final List<String> CH_STREETS = List.of(
            "S AVERS AVE", "W MADISON ST", "N CLARK ST", "S STATE ST", "W 63RD ST", "S HALSTED ST", "N MILWAUKEE AVE",
            "W CHICAGO AVE", "S ASHLAND AVE", "W NORTH AVE", "N BROADWAY", "S COTTAGE GROVE AVE", "W 79TH ST",
            "S KEDZIE AVE", "W DIVISION ST", "N SHERIDAN RD", "S PULASKI RD", "W FULLERTON AVE", "S WESTERN AVE",
            "E 47TH ST", "S MICHIGAN AVE", "W ROOSEVELT RD", "N CICERO AVE", "W BELMONT AVE", "S KING DR",
            "W LAWRENCE AVE", "E 75TH ST", "S DAMEN AVE", "W IRVING PARK RD", "N LINCOLN AVE", "W 111TH ST",
            "S DR MARTIN LUTHER KING JR DR", "N LAKE SHORE DR", "W GRAND AVE", "S PRAIRIE AVE", "W 26TH ST");
}
