// The fixed sentences of a recommendation in Spanish ("es", the default) and English ("en").
// Every function returns text in the given locale; arguments are inserted as given (the output
// is JSON text, escaped by whoever renders it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "recommend/Supplement.h"

namespace vitarec::recommend::phrases {

// `text` with its first letter in upper case (ASCII and accented Latin-1 letters).
std::string Capitalized(std::string text);
// `name` as it reads inside a Spanish sentence: first letter in lower case unless it is an
// acronym or a code ("magnesio", "vitamina D", "5-HTP", "L-teanina").
std::string Lowered(std::string name);
// `name` lowered and with its Spanish definite article ("el magnesio", "la levotiroxina", "los
// probióticos"), the gender read from the ending of its first word.
std::string WithArticle(std::string_view name);
// A non-negative number with at most one decimal, in the locale's notation ("2.4" / "2,4").
std::string Decimal(double value, std::string_view locale);
std::string FrequencyText(Frequency frequency, std::string_view locale);
std::string UnitText(std::string_view unit, std::string_view locale);
std::string Disclaimer(std::string_view locale);

std::string YouAskedForIt(std::string_view locale);
std::string HelpsWith(std::string_view goal, char grade, std::string_view locale);
std::string ReferenceIntake(double low, double high, std::string_view unit,
                            std::string_view locale);
std::string FormNote(std::string_view form, std::string_view note, std::string_view locale);
std::string DoseCapped(int upper_limit, std::string_view unit, std::string_view locale);
std::string MinorAskPaediatrician(std::string_view locale);
// Why an item is left out for someone younger than its minimum age ("por debajo de 1 año").
LocalizedText BelowMinAge(int min_age);
// Why an item the query asked to leave out is not shown.
std::string LeftOutAsAsked(std::string_view locale);
// A product that contains what the query asked to leave out ("sin hierro").
std::string ChooseOneWithout(std::string_view nutrient, std::string_view locale);
// A nutrient another item of the result also provides, and the total a day.
std::string AlsoIn(std::string_view nutrient, std::string_view product, int amount, int total,
                   std::optional<int> upper_limit, std::string_view unit, std::string_view locale);
// What a product carries besides its main nutrient ("aporta también 1350 mcg de vitamina A").
std::string Carries(std::string_view product, std::string_view contents, std::string_view locale);
// "omega-3, que lleva vitamina A": an item named with a nutrient it carries.
std::string WhichContains(std::string_view product, std::string_view nutrient,
                          std::string_view locale);
// A product's nutrient already reaches the person's upper limit with the rest of the result.
std::string AlreadyCovered(std::string_view product, std::string_view locale);
// Several items together exceed an upper limit that no single item can be lowered to meet.
std::string SumAboveLimit(std::string_view nutrient, std::string_view items, int total,
                          int upper_limit, std::string_view unit, std::string_view locale);

// A drug interaction or a condition that applies; `who` is the drug or condition name.
std::string DrugRule(SafetyAction action, std::string_view supplement, std::string_view drug,
                     int hours, std::string_view note, std::string_view locale);
std::string ConditionRule(SafetyAction action, std::string_view supplement,
                          std::string_view condition, std::string_view note,
                          std::string_view locale);
std::string NoSafetyData(std::string_view supplement, std::string_view condition,
                         std::string_view locale);
std::string Excluded(std::string_view supplement, std::string_view reason, std::string_view locale);

std::string UnknownMedication(std::string_view entry, std::string_view locale);
std::string UnknownCondition(std::string_view entry, std::string_view locale);
std::string PregnancyGeneral(std::string_view locale);
std::string InteractsSummary(std::string_view drug, std::string_view avoid, std::string_view ask,
                             std::string_view locale);

std::string DidYouMean(std::string_view query, std::string_view locale);
std::string TryThese(std::string_view locale);
std::string OnlySafetyTerms(std::string_view locale);

}  // namespace vitarec::recommend::phrases
