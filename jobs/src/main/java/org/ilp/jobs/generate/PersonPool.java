package org.ilp.jobs.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded population of fictitious persons and the records agencies keep of them, with the errors real nominal
 * records carry, each planted at a documented rate ({@link #variant}): a one-letter typo in the given (5%) or family
 * name (5%), the two names swapped (3%), no date of birth (12%), day and month swapped (3%, where the swap is a
 * date), another postcode in the same district (15%) or elsewhere (15%), no sex (5%), the national identifier
 * left out (40% of the records of a person who has one) or mistyped (2%). Every record knows its true person: the
 * ground truth identity resolution is measured against. Names are drawn so that namesakes occur (several John
 * Smiths with different dates of birth), as they do.
 */
final class PersonPool {
  static final List<String> GIVEN_M = List.of("JOHN", "DAVID", "MICHAEL", "JAMES", "ROBERT", "PAUL", "MARK", "ANDREW",
      "PETER", "RICHARD", "DANIEL", "THOMAS", "CHRISTOPHER", "STEVEN", "MATTHEW", "GARY", "ANTHONY", "KEVIN", "JASON",
      "LEE", "SIMON", "IAN", "CRAIG", "DARREN", "WAYNE", "STUART", "NEIL", "ADAM", "LIAM", "RYAN", "CONNOR", "JACK",
      "HARRY", "OLIVER", "MOHAMMED", "ALI", "TOMASZ", "PIOTR", "MARIUS", "ANDREI", "KWAME", "CARLOS", "JOSE", "LUIS");
  static final List<String> GIVEN_F = List.of("SARAH", "EMMA", "LAURA", "CLAIRE", "LISA", "KAREN", "MICHELLE", "NICOLA",
      "RACHEL", "GEMMA", "REBECCA", "HANNAH", "AMY", "JESSICA", "CHLOE", "SOPHIE", "LUCY", "CHARLOTTE", "DONNA",
      "JOANNE", "HELEN", "SUSAN", "JULIE", "TRACEY", "KELLY", "STACEY", "AMBER", "JADE", "FATIMA", "AISHA", "ANNA",
      "MARIA", "AGNIESZKA", "ELENA", "IOANA", "GRACE", "PRECIOUS", "ANA", "SOFIA", "CARMEN");
  static final List<String> FAMILY = List.of("SMITH", "JONES", "WILLIAMS", "TAYLOR", "BROWN", "DAVIES", "EVANS",
      "WILSON", "THOMAS", "JOHNSON", "ROBERTS", "ROBINSON", "THOMPSON", "WRIGHT", "WALKER", "WHITE", "EDWARDS",
      "HUGHES", "GREEN", "HALL", "LEWIS", "HARRIS", "CLARKE", "PATEL", "JACKSON", "WOOD", "TURNER", "MARTIN", "COOPER",
      "HILL", "WARD", "MORRIS", "MOORE", "CLARK", "LEE", "KING", "BAKER", "HARRISON", "MORGAN", "ALLEN", "JAMES",
      "SCOTT", "PHILLIPS", "WATSON", "DAVIS", "PARKER", "PRICE", "BENNETT", "YOUNG", "GRIFFITHS", "MITCHELL", "KELLY",
      "COOK", "CARTER", "RICHARDSON", "BAILEY", "COLLINS", "BELL", "SHAW", "MURPHY", "MILLER", "COX", "RICHARDS",
      "KHAN", "MARSHALL", "ANDERSON", "SIMPSON", "ELLIS", "ADAMS", "SINGH", "BEGUM", "CHAPMAN", "KOWALSKI", "NOWAK",
      "POPESCU", "IONESCU", "OKAFOR", "MENSAH", "RODRIGUEZ", "GARCIA", "SILVA", "HUSSAIN", "AHMED", "ALI", "MAHMOOD",
      "O'BRIEN", "MCDONALD", "FITZGERALD", "SMITH-JONES", "DE SOUZA");
  static final List<String> DISTRICTS = List.of("M1", "M4", "M8", "M14", "M20", "B1", "B6", "B12", "B23", "LS1", "LS7",
      "LS11", "L1", "L8", "L15", "NG1", "NG7", "S1", "S8", "BS1", "BS5", "E1", "E13", "N15", "SE15", "SW9", "NW10",
      "CF10", "CF24", "NE1", "NE6", "SR1", "CV1", "LE1", "LE4");

  /** A true person. {@code nationalId} is null for about a third (no number recorded anywhere). */
  record Person(int id, String given, String family, LocalDate dob, String sex, String postcode, String nationalId) {}

  /** One agency's record of a person: {@code dob} as written (ISO), any field but the ids may be null. */
  record PersonRecord(String recordId, int personId, String given, String family, String dob, String sex,
      String postcode, String nationalId) {}

  private PersonPool() {}

  /** {@code n} persons, deterministic per seed. */
  static List<Person> persons(int n, long seed) {
    Random rng = new Random(seed);
    List<Person> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean male = rng.nextDouble() < 0.7; // the offender-heavy mix of police nominal records
      String given = (male ? GIVEN_M : GIVEN_F).get(rng.nextInt((male ? GIVEN_M : GIVEN_F).size()));
      String family = FAMILY.get(rng.nextInt(FAMILY.size()));
      LocalDate dob = LocalDate.of(1950, 1, 1).plusDays(rng.nextInt(365 * 57));
      String postcode = postcode(DISTRICTS.get(rng.nextInt(DISTRICTS.size())), rng);
      String ni = rng.nextDouble() < 0.65 ? nationalId(rng) : null;
      out.add(new Person(i, given, family, dob, male ? "M" : "F", postcode, ni));
    }
    return out;
  }

  /** A record of {@code p} as an agency wrote it, with the planted errors of the class comment. */
  static PersonRecord variant(Person p, String recordId, Random rng) {
    String given = p.given();
    String family = p.family();
    if (rng.nextDouble() < 0.05) {
      given = typo(given, rng);
    }
    if (rng.nextDouble() < 0.05) {
      family = typo(family, rng);
    }
    if (rng.nextDouble() < 0.03) {
      String t = given;
      given = family;
      family = t;
    }
    String dob = p.dob().toString();
    double d = rng.nextDouble();
    if (d < 0.12) {
      dob = null;
    } else if (d < 0.15 && p.dob().getDayOfMonth() <= 12 && p.dob().getDayOfMonth() != p.dob().getMonthValue()) {
      dob = LocalDate.of(p.dob().getYear(), p.dob().getDayOfMonth(), p.dob().getMonthValue()).toString();
    }
    String postcode = p.postcode();
    double a = rng.nextDouble();
    if (a < 0.15) {
      postcode = postcode(postcode.split(" ")[0], rng);
    } else if (a < 0.30) {
      postcode = postcode(DISTRICTS.get(rng.nextInt(DISTRICTS.size())), rng);
    }
    String sex = rng.nextDouble() < 0.05 ? null : p.sex();
    String ni = p.nationalId() == null || rng.nextDouble() < 0.40 ? null : p.nationalId();
    if (ni != null && rng.nextDouble() < 0.02) {
      ni = typo(ni, rng);
    }
    return new PersonRecord(recordId, p.id(), given, family, dob, sex, postcode, ni);
  }

  /** One letter substituted, dropped or swapped with its neighbour (never the first: clerks get that right). */
  static String typo(String s, Random rng) {
    if (s.length() < 3) {
      return s;
    }
    int i = 1 + rng.nextInt(s.length() - 2);
    return switch (rng.nextInt(3)) {
      case 0 -> s.substring(0, i) + (char) ('A' + rng.nextInt(26)) + s.substring(i + 1);
      case 1 -> s.substring(0, i) + s.substring(i + 1);
      default -> s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
    };
  }

  static String postcode(String district, Random rng) {
    return district + " " + (1 + rng.nextInt(9)) + (char) ('A' + rng.nextInt(26)) + (char) ('A' + rng.nextInt(26));
  }

  /** A UK National Insurance number's shape: two letters, six digits, a letter A–D. */
  static String nationalId(Random rng) {
    String letters = "ABCEGHJKLMNPRSTWXYZ";
    return "" + letters.charAt(rng.nextInt(letters.length())) + letters.charAt(rng.nextInt(letters.length()))
        + String.format("%06d", rng.nextInt(1_000_000)) + "ABCD".charAt(rng.nextInt(4));
  }
}
